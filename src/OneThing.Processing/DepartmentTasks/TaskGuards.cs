using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>What a reviewer may not do with a task in its present state, said the same way by every use case.</summary>
public static class TaskGuards
{
    public static Refusal HandledBySystem => new Refusal.Conflict("This task is handled by the department's own system, not by a reviewer.");

    public static Refusal NotInInbox => new Refusal.Conflict("This task has not reached the department's inbox yet.");

    public static Refusal ClaimedByOther(DepartmentTask task) =>
        new Refusal.Conflict($"This task is claimed by {task.Assignee}; only they (or a supervisor reassigning it) can go on.");

    public static bool IsAutomated(DepartmentTask task) => StoredNames.IsAutomated(task.Kind);
}
