using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>A supervisor hands an open task to another reviewer of the same department.</summary>
public sealed class ReassignTask(CaseCommands commands, OneThingDbContext db, CaseHistory history, AuditTrail audit, TimeProvider clock)
{
    public const int MaxAssigneeLength = 100;

    /// <param name="assignee">The user name of the reviewer who takes over, in any case.</param>
    public Task<CommandResult<TaskChange>> HandleAsync(Guid taskId, string? assignee, AuditActor reassignedBy, CancellationToken cancellationToken)
    {
        var userName = assignee?.Trim();
        if (string.IsNullOrEmpty(userName) || userName.Length > MaxAssigneeLength)
        {
            return Task.FromResult<CommandResult<TaskChange>>(new Refusal.Invalid("assignee",
                $"assignee (1 to {MaxAssigneeLength} characters) is the user name of the reviewer who takes over."));
        }

        return commands.OnTaskAsync(taskId, (unit, task, token) => ReassignAsync(unit, task, userName, reassignedBy, token), cancellationToken);
    }

    private async Task<CommandResult<TaskChange>> ReassignAsync(CaseUnit unit, DepartmentTask task, string userName, AuditActor reassignedBy,
        CancellationToken cancellationToken)
    {
        if (TaskLifecycle.CanReassign(task) is { } refusal)
        {
            return refusal;
        }

        if (await DepartmentReviewers.FindAsync(db, task.Department, userName, cancellationToken) is not { } assignee)
        {
            return new Refusal.Invalid("assignee", $"'{userName}' is not a reviewer of {task.Department}; a task goes only to a reviewer of its own department.");
        }

        var previous = task.Assignee;
        TaskLifecycle.Reassign(task, assignee, clock.GetUtcNow());
        var change = $"{previous ?? "(unassigned)"} → {assignee}";
        history.Add(unit.Id, CaseEventTypes.TaskReassigned, task.StepId, task.Id, reassignedBy.Name, change);
        audit.Add(reassignedBy, AuditActions.TaskReassigned, AuditTargets.Task, task.Id.ToString(), change);
        return CommandResult<TaskChange>.Done(TaskChange.Of(task, unit.Record));
    }
}
