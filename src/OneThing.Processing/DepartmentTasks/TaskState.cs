using System.Collections.Frozen;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>Where a department task is in its life; the moves between states are <see cref="TaskLifecycle"/>'s.</summary>
public enum TaskState
{
    /// <summary>Sent to the department, not yet acknowledged by its inbox or system.</summary>
    Dispatched,
    Open,
    Claimed,

    /// <summary>The reviewer asked for a supplement (补正); the task's clock is stopped until the clerk submits it.</summary>
    AwaitingSupplement,
    Approved,
    Rejected,
    Cancelled,
}

/// <summary>
/// The text a task state is stored and answered as. The migrations' partial indexes, the raw SQL of the re-sender and
/// the bench's pgbench scripts compare these very words, so they never change.
/// </summary>
public static class TaskStateNames
{
    public static readonly IReadOnlyList<TaskState> All = Enum.GetValues<TaskState>();

    /// <summary>Every stored name, in the enum's order.</summary>
    public static readonly IReadOnlyList<string> Stored = All.Select(Of).ToList();

    private static readonly FrozenDictionary<string, TaskState> ByName = All.ToFrozenDictionary(Of, state => state, StringComparer.Ordinal);

    public static string Of(TaskState state) => state switch
    {
        TaskState.Dispatched => "dispatched",
        TaskState.Open => "open",
        TaskState.Claimed => "claimed",
        TaskState.AwaitingSupplement => "awaiting-supplement",
        TaskState.Approved => "approved",
        TaskState.Rejected => "rejected",
        TaskState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "A task state without a stored name"),
    };

    public static TaskState Parse(string stored) =>
        ByName.TryGetValue(stored, out var state) ? state : throw new FormatException($"'{stored}' is not a task state");

    public static bool TryParse(string? stored, out TaskState state)
    {
        state = default;
        return stored is not null && ByName.TryGetValue(stored, out state);
    }
}
