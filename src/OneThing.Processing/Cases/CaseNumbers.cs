using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>
/// Readable receipt numbers, YJS-20261122-000001: the day in the service hall's time zone and a number from the
/// case_numbers sequence (0140_case_number_sequence.sql). Unique and increasing within a day, with gaps where a
/// filing rolled back; a sequence takes no lock, so concurrent filings do not wait for each other.
/// </summary>
public static class CaseNumbers
{
    public const string Prefix = "YJS";

    public static readonly TimeZoneInfo ChinaStandardTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static async Task<string> NextAsync(OneThingDbContext db, DateTimeOffset now, CancellationToken cancellationToken) =>
        Format(now, await db.Database.SqlQuery<long>($"SELECT nextval('case_numbers') AS \"Value\"").SingleAsync(cancellationToken));

    /// <param name="number">A value of the case_numbers sequence.</param>
    public static string Format(DateTimeOffset now, long number) => Format(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, ChinaStandardTime).DateTime), number);

    public static string Format(DateOnly day, long number) => $"{Prefix}-{day:yyyyMMdd}-{number:000000}";
}
