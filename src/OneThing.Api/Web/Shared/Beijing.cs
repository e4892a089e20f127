namespace OneThing.Api.Web.Shared;

/// <summary>Every time on screen is Beijing time, wherever the server runs.</summary>
public static class Beijing
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateTimeOffset ToBeijing(this DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static string Format(DateTimeOffset? instant) => instant is { } value ? value.ToBeijing().ToString("yyyy-MM-dd HH:mm") : "—";

    public static string FormatTime(DateTimeOffset instant) => instant.ToBeijing().ToString("HH:mm:ss");
}
