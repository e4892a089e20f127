using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Supervision;

/// <summary>What the governance centre watches, for the API and the supervisor's dashboard alike.</summary>
internal sealed class SupervisionQueries(OneThingDbContext db, SlaClock slaClock, TimeProvider clock)
{
    private const int StatisticsWindowDays = 90;

    /// <param name="street">A street's code (街道/镇): only cases that lie in it count; null for the whole district.</param>
    public async Task<SupervisionOverview> OverviewAsync(string? street, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await TaskLights.Unfinished(db.DepartmentTasks.AsNoTracking(), db.Cases.InStreet(street), now)
            .GroupBy(t => new { t.Department, t.WorkflowId, t.Light })
            .Select(g => new { g.Key.Department, g.Key.WorkflowId, g.Key.Light, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var openCases = await db.Cases.InStreet(street).CountAsync(c => c.EndedAt == null, cancellationToken);

        return new SupervisionOverview(
            now,
            openCases,
            rows.Sum(r => r.Count),
            TaskLights.Count(rows.Select(r => (r.Light, r.Count))),
            rows.GroupBy(r => r.Department).OrderBy(g => g.Key)
                .Select(g => new GroupLightCounts(g.Key, TaskLights.Count(g.Select(r => (r.Light, r.Count))))).ToList(),
            rows.GroupBy(r => r.WorkflowId).OrderBy(g => g.Key)
                .Select(g => new GroupLightCounts(g.Key, TaskLights.Count(g.Select(r => (r.Light, r.Count))))).ToList());
    }

    /// <param name="street">As for <see cref="OverviewAsync"/>.</param>
    public async Task<BreachPage> BreachesAsync(string? department, string? street, int page, int pageSize, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Served by the partial index on open tasks' due_at: cost follows the number of overdue tasks, not of open ones.
        var overdue = db.DepartmentTasks.AsNoTracking()
            .Where(t => TaskLifecycle.Unfinished.Contains(t.State) && t.DueAt != null && t.DueAt <= now && t.PausedAt == null);
        if (!string.IsNullOrEmpty(department))
        {
            overdue = overdue.Where(t => t.Department == department);
        }

        if (street is not null)
        {
            overdue = overdue.Where(t => db.Cases.InStreet(street).Any(c => c.Id == t.CaseId));
        }

        var total = await overdue.CountAsync(cancellationToken);
        var rows = await overdue
            .OrderBy(t => t.DueAt)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new { Task = t, c.CaseNumber, c.WorkflowId })
            .ToListAsync(cancellationToken);
        var items = rows.Select(r => new BreachItem(r.Task.Id, r.Task.CaseId, r.CaseNumber, r.WorkflowId, r.Task.StepId, r.Task.Department,
                TaskStateNames.Of(r.Task.State), r.Task.Assignee, r.Task.DueAt!.Value,
                Math.Round(slaClock.Calendar.WorkingTimeBetween(r.Task.DueAt!.Value, now).TotalHours, 2),
                Math.Round((now - r.Task.DueAt!.Value).TotalHours, 2),
                r.Task.EscalationLevel))
            .ToList();
        return new BreachPage(items, page, pageSize, total);
    }

    /// <summary>Per department: open and overdue tasks, and median and p90 handling time in working hours over the last 90 days.</summary>
    public async Task<List<DepartmentStatistics>> DepartmentsAsync(string? street, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var tasks = street is null ? db.DepartmentTasks.AsNoTracking() : db.DepartmentTasks.AsNoTracking().Where(t => db.Cases.InStreet(street).Any(c => c.Id == t.CaseId));
        var open = await tasks
            .Where(t => TaskLifecycle.Unfinished.Contains(t.State))
            .GroupBy(t => t.Department)
            .Select(g => new { Department = g.Key, Open = g.Count(), Overdue = g.Count(t => t.DueAt != null && t.DueAt <= now && t.PausedAt == null) })
            .ToDictionaryAsync(g => g.Department, cancellationToken);
        var since = now.AddDays(-StatisticsWindowDays);
        var handled = await tasks
            .Where(t => (t.State == TaskState.Approved || t.State == TaskState.Rejected) && t.EndedAt >= since)
            .Select(t => new { t.Department, t.CreatedAt, EndedAt = t.EndedAt!.Value, t.PausedSeconds })
            .ToListAsync(cancellationToken);
        var handlingHours = handled
            .GroupBy(t => t.Department)
            .ToDictionary(g => g.Key, g => g
                .Select(t => Math.Max(0, (slaClock.Calendar.WorkingTimeBetween(t.CreatedAt, t.EndedAt) - TimeSpan.FromSeconds(t.PausedSeconds)).TotalHours))
                .Order()
                .ToList());

        return open.Keys.Union(handlingHours.Keys).Order(StringComparer.Ordinal).Select(department =>
        {
            var hours = handlingHours.GetValueOrDefault(department) ?? [];
            return new DepartmentStatistics(
                department,
                open.GetValueOrDefault(department)?.Open ?? 0,
                open.GetValueOrDefault(department)?.Overdue ?? 0,
                hours.Count,
                Percentile(hours, 0.5),
                Percentile(hours, 0.9));
        }).ToList();
    }

    private static double? Percentile(List<double> sorted, double share)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(share * sorted.Count) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Count - 1)], 2);
    }
}
