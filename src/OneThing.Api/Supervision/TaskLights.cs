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
/// The light rule (绿黄红亮灯), in one place: no deadline; else red once the deadline clock has reached the due instant,
/// yellow once it has reached the warning instant, else green. A paused or ended clock stands still, so such a task is
/// judged at its pause or end (as <see cref="OneThing.Processing.Deadlines.SlaClock.View"/> shows it). The supervision
/// counts differ in one respect, on purpose: a paused task is nobody's to hurry while the clerk gathers the material, so
/// it counts green there.
/// </summary>
internal static class TaskLights
{
    public const int Green = 0, Yellow = 1, Red = 2, NoDeadline = 3;

    /// <summary>The lights' names in the API (e.g. the inbox's light filter), indexed by the constants above.</summary>
    public static IReadOnlyList<string> Names => LightNames;

    /// <summary>What a task without a deadline shows instead of a light.</summary>
    public const string NoDeadlineName = "none";

    private static readonly string[] LightNames = ["green", "yellow", "red", NoDeadlineName];

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

    /// <summary>
    /// The tasks of <paramref name="tasks"/> whose light at <paramref name="now"/> is <paramref name="light"/> (one of
    /// <see cref="Names"/>), whatever their state: a filter PostgreSQL runs on the tasks' own columns. A pause or an end lies
    /// in the past, so a red task is due before now: said outright, it bounds the range of an index on due_at.
    /// </summary>
    public static IQueryable<DepartmentTask> Showing(IQueryable<DepartmentTask> tasks, string light, DateTimeOffset now) => Array.IndexOf(LightNames, light) switch
    {
        NoDeadline => tasks.Where(t => t.DueAt == null),
        Red => tasks.Where(t => t.DueAt <= now && t.DueAt <= (t.PausedAt ?? t.EndedAt ?? now)),
        Yellow => tasks.Where(t => t.DueAt > (t.PausedAt ?? t.EndedAt ?? now) && t.WarnAt <= (t.PausedAt ?? t.EndedAt ?? now)),
        Green => tasks.Where(t => t.DueAt > (t.PausedAt ?? t.EndedAt ?? now) && (t.WarnAt == null || t.WarnAt > (t.PausedAt ?? t.EndedAt ?? now))),
        _ => throw new ArgumentOutOfRangeException(nameof(light), light, $"A light is one of: {string.Join(", ", Names)}."),
    };

    /// <summary>Adds up counted cells (a light and how many tasks have it) into the four counts.</summary>
    public static LightCounts Count(IEnumerable<(int Light, int Count)> cells)
    {
        var byLight = cells.GroupBy(c => c.Light).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        return new LightCounts(byLight.GetValueOrDefault(Green), byLight.GetValueOrDefault(Yellow), byLight.GetValueOrDefault(Red),
            byLight.GetValueOrDefault(NoDeadline));
    }
}
