using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Supervision;

/// <summary>A task's light beside its case, as PostgreSQL computes it, with what the wall and the dashboard group by.</summary>
internal sealed class LitTask
{
    public required string Department { get; init; }
    public required string WorkflowId { get; init; }
    public string? Street { get; init; }
    public required int Light { get; init; }
}

/// <summary>
/// The light rule of the supervision reads (绿黄红亮灯), in one place: no deadline, or paused (green: the clock stands), or
/// past due (red), or past the warning instant (yellow), else green.
/// </summary>
internal static class TaskLights
{
    public const int Green = 0, Yellow = 1, Red = 2, NoDeadline = 3;

    /// <summary>Every unfinished task of <paramref name="cases"/> with its light at <paramref name="now"/>; translated to SQL, to be grouped there.</summary>
    public static IQueryable<LitTask> Unfinished(IQueryable<DepartmentTask> tasks, IQueryable<CaseRecord> cases, DateTimeOffset now) =>
        tasks.Where(t => TaskLifecycle.Unfinished.Contains(t.State))
            .Join(cases, t => t.CaseId, c => c.Id, (t, c) => new LitTask
            {
                Department = t.Department,
                WorkflowId = c.WorkflowId,
                Street = c.Street,
                Light = t.DueAt == null ? NoDeadline : t.PausedAt != null ? Green : t.DueAt <= now ? Red : t.WarnAt <= now ? Yellow : Green,
            });

    /// <summary>Adds up counted cells (a light and how many tasks have it) into the four counts.</summary>
    public static LightCounts Count(IEnumerable<(int Light, int Count)> cells)
    {
        var byLight = cells.GroupBy(c => c.Light).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        return new LightCounts(byLight.GetValueOrDefault(Green), byLight.GetValueOrDefault(Yellow), byLight.GetValueOrDefault(Red),
            byLight.GetValueOrDefault(NoDeadline));
    }
}
