using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>A supervisor hands an open task to another reviewer of the same department.</summary>
public sealed class ReassignTask(CaseCommands commands, CaseHistory history, AuditTrail audit, TimeProvider clock)
{
    public Task<CommandResult<TaskChange>> HandleAsync(Guid taskId, string assignee, AuditActor reassignedBy, CancellationToken cancellationToken) =>
        commands.OnTaskAsync(taskId, (unit, task, _) => Task.FromResult(Reassign(unit, task, assignee, reassignedBy)), cancellationToken);

    private CommandResult<TaskChange> Reassign(CaseUnit unit, DepartmentTask task, string assignee, AuditActor reassignedBy)
    {
        if (TaskStates.IsEnded(task.State))
        {
            return new Refusal.Conflict($"This task has ended ({task.State}) and cannot be reassigned.");
        }

        if (TaskGuards.IsAutomated(task))
        {
            return TaskGuards.HandledBySystem;
        }

        var previous = task.Assignee;
        task.Assignee = assignee;
        if (task.State == TaskStates.Open)
        {
            task.State = TaskStates.Claimed;
            task.ClaimedAt = clock.GetUtcNow();
        }

        var change = $"{previous ?? "(unassigned)"} → {assignee}";
        history.Add(unit.Id, CaseEventTypes.TaskReassigned, task.StepId, task.Id, reassignedBy.Name, change);
        audit.Add(reassignedBy, AuditActions.TaskReassigned, AuditTargets.Task, task.Id.ToString(), change);
        return CommandResult<TaskChange>.Done(TaskChange.Of(task, unit.Record));
    }
}
