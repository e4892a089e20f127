namespace OneThing.Api.Web.Shared;

/// <summary>Every time on screen is Beijing time, wherever the server runs.</summary>
public static class Beijing
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateTimeOffset ToBeijing(this DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static string Format(DateTimeOffset? instant) => instant is { } value ? value.ToBeijing().ToString("yyyy-MM-dd HH:mm") : "—";

    /// <summary>Midnight of a calendar day in Beijing, as an instant: where a day picked on screen starts.</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, Zone.GetUtcOffset(midnight));
    }

    public static string FormatTime(DateTimeOffset instant) => instant.ToBeijing().ToString("HH:mm:ss");
}
