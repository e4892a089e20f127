using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>Readable receipt numbers, counted per day in the service hall's time zone: YJS-20261122-000001.</summary>
public static class CaseNumbers
{
    public const string Prefix = "YJS";

    public static readonly TimeZoneInfo ChinaStandardTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static async Task<string> NextAsync(OneThingDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, ChinaStandardTime).DateTime);
        // The row lock this takes is held until commit, so callers take it as late in their transaction as they can.
        var sequence = await db.Database.SqlQuery<int>($"""
            INSERT INTO case_number_counters (day, last_value) VALUES ({day}, 1)
            ON CONFLICT (day) DO UPDATE SET last_value = case_number_counters.last_value + 1
            RETURNING last_value AS "Value"
            """).ToListAsync(cancellationToken);
        return $"{Prefix}-{day:yyyyMMdd}-{sequence.Single():000000}";
    }
}
