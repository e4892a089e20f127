using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>补正: the reviewer needs more material; the task waits for the clerk with its clock stopped.</summary>
public sealed class RequestSupplement(
    CaseCommands commands, EngineEffects effects, CaseHistory history, AuditTrail audit, ILogger<RequestSupplement> logger)
{
    public Task<CommandResult<TaskChange>> HandleAsync(Guid taskId, string message, AuditActor reviewer, CancellationToken cancellationToken) =>
        commands.OnTaskAsync(taskId, (unit, task, token) => RequestAsync(unit, task, message, reviewer, token), cancellationToken);

    private async Task<CommandResult<TaskChange>> RequestAsync(CaseUnit unit, DepartmentTask task, string message, AuditActor reviewer,
        CancellationToken cancellationToken)
    {
        if (TaskGuards.IsAutomated(task))
        {
            return TaskGuards.HandledBySystem;
        }

        switch (task.State)
        {
            case TaskStates.Dispatched:
                return TaskGuards.NotInInbox;
            case TaskStates.AwaitingSupplement:
                return new Refusal.Conflict("A supplement was already asked for this task and has not been submitted yet.");
            case var state when TaskStates.IsEnded(state):
                return new Refusal.Conflict($"This task has ended ({state}).");
            case TaskStates.Claimed when task.Assignee != reviewer.Name:
                return TaskGuards.ClaimedByOther(task);
        }

        var actor = reviewer.Name;
        var result = await effects.ApplyEventAsync(unit, new SupplementRequested(task.StepId, task.Id, message, actor), cancellationToken);
        if (result is Refused refused)
        {
            return new Refusal.Conflict(refused.Message);
        }

        history.Add(unit.Id, CaseEventTypes.SupplementRequested, task.StepId, task.Id, actor, message);
        audit.Add(reviewer, AuditActions.SupplementRequested, AuditTargets.Task, task.Id.ToString(), $"case {unit.Record.CaseNumber}, step {task.StepId}");
        logger.LogInformation("Supplement asked on task {TaskId} ({StepId}) of case {CaseId}; its clock is stopped", task.Id, task.StepId, unit.Id);
        return CommandResult<TaskChange>.Done(TaskChange.Of(task, unit.Record));
    }
}
