using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>A reviewer takes a task from their department's inbox so that colleagues do not work on it too.</summary>
/// <remarks>The assignee is the signed-in reviewer, never a name from the request.</remarks>
public sealed class ClaimTask(CaseCommands commands, CaseHistory history, AuditTrail audit, TimeProvider clock)
{
    public Task<CommandResult<TaskChange>> HandleAsync(Guid taskId, AuditActor reviewer, CancellationToken cancellationToken) =>
        commands.OnTaskAsync(taskId, (unit, task, _) => Task.FromResult(Claim(unit, task, reviewer)), cancellationToken);

    private CommandResult<TaskChange> Claim(CaseUnit unit, DepartmentTask task, AuditActor reviewer)
    {
        if (TaskLifecycle.CanClaim(task, reviewer) is { } refusal)
        {
            return refusal;
        }

        if (task.State == TaskState.Open)
        {
            TaskLifecycle.Claim(task, reviewer.Name, clock.GetUtcNow());
            history.Add(unit.Id, CaseEventTypes.TaskClaimed, task.StepId, task.Id, reviewer.Name);
            audit.Add(reviewer, AuditActions.TaskClaimed, AuditTargets.Task, task.Id.ToString());
        }

        return CommandResult<TaskChange>.Done(TaskChange.Of(task, unit.Record));
    }
}
