using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Supervision.Screen;

/// <summary>一屏观天下: the wall's numbers, each aggregated in PostgreSQL so the read stays small however many cases there are.</summary>
internal static class ScreenQueries
{
    public const int HotspotWindowDays = 30;
    public const int TrendDays = 30;

    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static async Task<GovernanceScreen> ReadAsync(OneThingDbContext db, WorkflowRegistry workflows, DateTimeOffset now, int hotspots,
        CancellationToken cancellationToken)
    {
        var taskCells = await TaskLights.Unfinished(db.DepartmentTasks.AsNoTracking(), db.Cases, now)
            .GroupBy(t => new { t.Street, t.WorkflowId, t.Light })
            .Select(g => new { g.Key.Street, g.Key.WorkflowId, g.Key.Light, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var openCasesByStreet = await db.Cases.AsNoTracking()
            .Where(c => c.EndedAt == null)
            .GroupBy(c => c.Street)
            .Select(g => new { Street = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        // Every street of the district is on the wall, a quiet one with zeros too; cases outside any street only when there are some.
        var streets = workflows.Departments.Territory.Streets.Select(s => (string?)s.Code).ToList();
        if (taskCells.Any(c => c.Street is null) || openCasesByStreet.Any(c => c.Street is null))
        {
            streets.Add(null);
        }

        var byStreet = streets.Select(street => new StreetCounts(
                street,
                openCasesByStreet.Where(c => c.Street == street).Sum(c => c.Count),
                TaskLights.Count(taskCells.Where(c => c.Street == street).Select(c => (c.Light, c.Count)))))
            .ToList();
        var byWorkflow = taskCells.GroupBy(c => c.WorkflowId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new GroupLightCounts(g.Key, TaskLights.Count(g.Select(c => (c.Light, c.Count))))).ToList();

        return new GovernanceScreen(
            now,
            openCasesByStreet.Sum(c => c.Count),
            TaskLights.Count(taskCells.Select(c => (c.Light, c.Count))),
            byStreet,
            byWorkflow,
            await HotspotsAsync(db, now, hotspots, cancellationToken),
            await BreachTrendAsync(db, now, cancellationToken));
    }

    private static async Task<List<IncidentHotspot>> HotspotsAsync(OneThingDbContext db, DateTimeOffset now, int count, CancellationToken cancellationToken)
    {
        var since = now.AddDays(-HotspotWindowDays);
        var places = await db.Cases.AsNoTracking()
            .Where(c => c.IncidentPlace != null && c.FiledAt > since && c.FiledAt <= now)
            .GroupBy(c => c.IncidentPlace!)
            .Select(g => new { Place = g.Key, Cases = g.Count(), Reports = g.Sum(c => c.ReportCount) })
            .OrderByDescending(h => h.Reports).ThenByDescending(h => h.Cases).ThenBy(h => h.Place)
            .Take(count)
            .ToListAsync(cancellationToken);
        return places.Select(p => new IncidentHotspot(p.Place, p.Cases, p.Reports)).ToList();
    }

    /// <summary>Breaches per Beijing day over the last 60 days, so each window has the one before it to compare with.</summary>
    private static async Task<BreachTrend> BreachTrendAsync(OneThingDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Beijing).DateTime);
        var firstDay = today.AddDays(-2 * TrendDays + 1);
        var from = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), Beijing.GetUtcOffset(firstDay.ToDateTime(TimeOnly.MinValue)));
        var rows = await db.Database.SqlQuery<BreachDay>($"""
                SELECT (breached_at AT TIME ZONE 'Asia/Shanghai')::date AS "Day", count(*)::int AS "Count"
                FROM department_tasks
                WHERE breached_at >= {from.ToUniversalTime()} AND breached_at <= {now.ToUniversalTime()}
                GROUP BY 1
                """)
            .ToListAsync(cancellationToken);
        var byDay = rows.ToDictionary(r => r.Day, r => r.Count);

        int Between(int daysAgoFrom, int daysAgoTo) =>
            Enumerable.Range(daysAgoTo, daysAgoFrom - daysAgoTo + 1).Sum(ago => byDay.GetValueOrDefault(today.AddDays(-ago)));

        var daily = Enumerable.Range(0, TrendDays).Select(i => today.AddDays(i - TrendDays + 1))
            .Select(day => new DayCount(day, byDay.GetValueOrDefault(day))).ToList();
        return new BreachTrend(Between(6, 0), Between(13, 7), Between(TrendDays - 1, 0), Between(2 * TrendDays - 1, TrendDays), daily);
    }

    private sealed class BreachDay
    {
        public DateOnly Day { get; init; }

        public int Count { get; init; }
    }
}
