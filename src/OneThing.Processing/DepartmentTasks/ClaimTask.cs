using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>A reviewer takes a task from the department's inbox so that colleagues do not work on it too.</summary>
/// <remarks>The assignee is the signed-in reviewer, never a name from the request.</remarks>
public sealed class ClaimTask(CaseCommands commands, CaseHistory history, AuditTrail audit, TimeProvider clock)
{
    public Task<CommandResult<TaskChange>> HandleAsync(Guid taskId, AuditActor reviewer, CancellationToken cancellationToken) =>
        commands.OnTaskAsync(taskId, (unit, task, _) => Task.FromResult(Claim(unit, task, reviewer)), cancellationToken);

    private CommandResult<TaskChange> Claim(CaseUnit unit, DepartmentTask task, AuditActor reviewer)
    {
        var assignee = reviewer.Name;
        switch (task.State)
        {
            case TaskStates.Claimed when task.Assignee == assignee:
                return CommandResult<TaskChange>.Done(TaskChange.Of(task, unit.Record));
            case TaskStates.Claimed:
                return new Refusal.Conflict($"This task is already claimed by {task.Assignee}.");
            case TaskStates.Dispatched:
                return TaskGuards.NotInInbox;
            case TaskStates.AwaitingSupplement:
                return new Refusal.Conflict($"This task is waiting for a supplement; it stays with {task.Assignee ?? "its department"}.");
            case not TaskStates.Open:
                return new Refusal.Conflict($"This task has ended ({task.State}).");
        }

        if (TaskGuards.IsAutomated(task))
        {
            return TaskGuards.HandledBySystem;
        }

        task.State = TaskStates.Claimed;
        task.Assignee = assignee;
        task.ClaimedAt = clock.GetUtcNow();
        history.Add(unit.Id, CaseEventTypes.TaskClaimed, task.StepId, task.Id, assignee);
        audit.Add(reviewer, AuditActions.TaskClaimed, AuditTargets.Task, task.Id.ToString());
        return CommandResult<TaskChange>.Done(TaskChange.Of(task, unit.Record));
    }
}
