using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>
/// A task's life in one place: which moves its state allows, what a reviewer is told when it does not (every use case
/// says it the same way), and the moves themselves, including the one mapping from the engine's step status.
/// </summary>
public static class TaskLifecycle
{
    public static readonly IReadOnlyList<TaskState> Unfinished = [TaskState.Dispatched, TaskState.Open, TaskState.Claimed, TaskState.AwaitingSupplement];

    public static bool IsEnded(TaskState state) => state is TaskState.Approved or TaskState.Rejected or TaskState.Cancelled;

    public static bool IsAutomated(DepartmentTask task) => task.Kind == StepKind.Automated;

    /// <summary>A reviewer acts only on their own department's tasks; another's answers like a missing one, so its existence does not leak.</summary>
    public static Refusal? CanReach(DepartmentTask task, AuditActor reviewer) =>
        reviewer.Department == task.Department ? null : new Refusal.NotFound();

    /// <summary>Null when <paramref name="reviewer"/> may claim the task, also when they hold it already (a repeat changes nothing).</summary>
    public static Refusal? CanClaim(DepartmentTask task, AuditActor reviewer) => CanReach(task, reviewer) ?? task.State switch
    {
        TaskState.Claimed when task.Assignee == reviewer.Name => null,
        TaskState.Claimed => new Refusal.Conflict($"This task is already claimed by {task.Assignee}."),
        TaskState.Dispatched => NotInInbox,
        TaskState.AwaitingSupplement => new Refusal.Conflict($"This task is waiting for a supplement; it stays with {task.Assignee ?? "its department"}."),
        not TaskState.Open => Ended(task),
        _ => IsAutomated(task) ? HandledBySystem : null,
    };

    public static Refusal? CanDecide(DepartmentTask task, AuditActor reviewer) => CanReach(task, reviewer) ?? (IsAutomated(task) ? HandledBySystem : task.State switch
    {
        TaskState.Approved or TaskState.Rejected => new Refusal.Conflict($"This task has already been decided ({TaskStateNames.Of(task.State)})."),
        TaskState.Cancelled => new Refusal.Conflict("This task was cancelled because its case ended."),
        TaskState.Dispatched => NotInInbox,
        TaskState.Claimed when task.Assignee != reviewer.Name => ClaimedByOther(task),
        TaskState.AwaitingSupplement => new Refusal.Conflict("This task is waiting for the supplement (补正) its reviewer asked for."),
        _ => null,
    });

    public static Refusal? CanRequestSupplement(DepartmentTask task, AuditActor reviewer) => CanReach(task, reviewer) ?? (IsAutomated(task) ? HandledBySystem : task.State switch
    {
        TaskState.Dispatched => NotInInbox,
        TaskState.AwaitingSupplement => new Refusal.Conflict("A supplement was already asked for this task and has not been submitted yet."),
        var state when IsEnded(state) => Ended(task),
        TaskState.Claimed when task.Assignee != reviewer.Name => ClaimedByOther(task),
        _ => null,
    });

    /// <summary>A supervisor reassigns; the new assignee's department is the use case's to check.</summary>
    public static Refusal? CanReassign(DepartmentTask task) =>
        IsEnded(task.State) ? new Refusal.Conflict($"This task has ended ({TaskStateNames.Of(task.State)}) and cannot be reassigned.")
        : IsAutomated(task) ? HandledBySystem
        : null;

    /// <summary>Whether the reviewer may ask for more time; the deadline's own conditions are the extension's to check.</summary>
    public static Refusal? CanExtend(DepartmentTask task, AuditActor reviewer) => CanReach(task, reviewer) ?? (IsAutomated(task) ? HandledBySystem : task.State switch
    {
        var state when IsEnded(state) => new Refusal.Conflict($"This task has ended ({TaskStateNames.Of(state)}); there is no deadline left to extend."),
        TaskState.Dispatched => NotInInbox,
        TaskState.AwaitingSupplement => new Refusal.Conflict("The task's clock is stopped while it waits for a supplement (补正); ask for an extension once it runs again."),
        TaskState.Claimed when task.Assignee != reviewer.Name => new Refusal.Conflict($"This task is claimed by {task.Assignee}; only they may ask to extend it."),
        _ => null,
    });

    /// <returns>False when the task is past its acknowledgement: a repeat, or a task that moved on.</returns>
    public static bool Acknowledge(DepartmentTask task, DateTimeOffset now)
    {
        if (task.State != TaskState.Dispatched)
        {
            return false;
        }

        task.State = TaskState.Open;
        task.AcknowledgedAt = now;
        return true;
    }

    public static void Claim(DepartmentTask task, string assignee, DateTimeOffset now)
    {
        task.State = TaskState.Claimed;
        task.Assignee = assignee;
        task.ClaimedAt = now;
    }

    /// <summary>An open task reassigned becomes claimed by its new assignee; a claimed or waiting one keeps its state.</summary>
    public static void Reassign(DepartmentTask task, string assignee, DateTimeOffset now)
    {
        task.Assignee = assignee;
        if (task.State == TaskState.Open)
        {
            task.State = TaskState.Claimed;
            task.ClaimedAt = now;
        }
    }

    /// <summary>The step's task has ended the way the engine's step status says; an ended task stays as it ended.</summary>
    public static void End(DepartmentTask task, StepStatus status, DateTimeOffset now)
    {
        if (!IsEnded(task.State))
        {
            task.State = EndedState(status);
            task.EndedAt = now;
        }
    }

    public static void Pause(DepartmentTask task, DateTimeOffset now)
    {
        task.State = TaskState.AwaitingSupplement;
        task.PausedAt = now;
    }

    /// <summary>The supplement came: back to whoever held the task, or to the inbox.</summary>
    public static void Resume(DepartmentTask task)
    {
        task.State = task.Assignee is null ? TaskState.Open : TaskState.Claimed;
        task.PausedAt = null;
    }

    /// <summary>The state a task ends in when its engine step (or its chosen department) ends with <paramref name="status"/>: the one place the two are kept in step.</summary>
    public static TaskState EndedState(StepStatus status) => status switch
    {
        StepStatus.Approved => TaskState.Approved,
        StepStatus.Rejected => TaskState.Rejected,
        StepStatus.Cancelled or StepStatus.Skipped => TaskState.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A step that has not ended leaves its task running"),
    };

    private static Refusal HandledBySystem => new Refusal.Conflict("This task is handled by the department's own system, not by a reviewer.");

    private static Refusal NotInInbox => new Refusal.Conflict("This task has not reached the department's inbox yet.");

    private static Refusal Ended(DepartmentTask task) => new Refusal.Conflict($"This task has ended ({TaskStateNames.Of(task.State)}).");

    private static Refusal ClaimedByOther(DepartmentTask task) =>
        new Refusal.Conflict($"This task is claimed by {task.Assignee}; only they (or a supervisor reassigning it) can go on.");
}
