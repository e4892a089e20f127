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
    public Task<CommandResult<TaskChange>> HandleAsync(Guid taskId, string? message, AuditActor reviewer, CancellationToken cancellationToken)
    {
        var text = message?.Trim();
        if (FreeText.Check("message", text, required: true,
                $"Say what the clerk must supply (1 to {FreeText.MaxLength} characters), e.g. 请补充户口簿复印件.") is { } invalid)
        {
            return Task.FromResult<CommandResult<TaskChange>>(invalid);
        }

        return commands.OnTaskAsync(taskId, (unit, task, token) => RequestAsync(unit, task, text!, reviewer, token), cancellationToken);
    }

    private async Task<CommandResult<TaskChange>> RequestAsync(CaseUnit unit, DepartmentTask task, string message, AuditActor reviewer,
        CancellationToken cancellationToken)
    {
        if (TaskLifecycle.CanRequestSupplement(task, reviewer) is { } refusal)
        {
            return refusal;
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
