using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.DepartmentTasks;

public enum DecisionSource
{
    Reviewer,
    DepartmentSystem,
}

/// <param name="Actor">The reviewer signed in, or the department system answering over the bus.</param>
public sealed record DecideTaskCommand(Guid TaskId, Decision Decision, string? Comment, AuditActor Actor, DecisionSource Source);

/// <summary>
/// A department decides its task, by a reviewer through the API or by its own system over the bus. Decisions from
/// the bus may arrive twice; a repeat changes nothing.
/// </summary>
public sealed class DecideTask(
    OneThingDbContext db,
    WorkflowRegistry workflows,
    CaseWriter writer,
    AuditTrail audit,
    OutboxSignal outbox,
    TimeProvider clock,
    ILogger<DecideTask> logger)
{
    public async Task<TaskCommandResult> HandleAsync(DecideTaskCommand command, CancellationToken cancellationToken)
    {
        var caseId = await db.DepartmentTasks.AsNoTracking()
            .Where(t => t.Id == command.TaskId)
            .Select(t => (Guid?)t.CaseId)
            .SingleOrDefaultAsync(cancellationToken);
        if (caseId is null)
        {
            return TaskCommandResult.NotFound;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.LockCaseAsync(caseId.Value, cancellationToken);
        var task = await db.DepartmentTasks.SingleAsync(t => t.Id == command.TaskId, cancellationToken);

        if (Refusal(task, command) is { } refusal)
        {
            return refusal;
        }

        var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
        var now = clock.GetUtcNow();
        var result = CaseEngine.Apply(definition, CaseWriter.ReadState(record), CaseWriter.ReadForm(record),
            new StepDecided(task.StepId, task.Id, command.Decision, command.Comment, command.Actor.Name), now);

        switch (result)
        {
            case Refused refused:
                logger.LogWarning("Decision on task {TaskId} of case {CaseId} refused: {Reason}", task.Id, record.Id, refused.Reason);
                return command.Source == DecisionSource.DepartmentSystem
                    ? TaskCommandResult.Done
                    : TaskCommandResult.Conflict(refused.Message);
            case AlreadyApplied:
                return TaskCommandResult.Done;
            case Applied applied:
                task.State = command.Decision == Decision.Approve ? TaskStates.Approved : TaskStates.Rejected;
                task.EndedAt = now;
                task.Comment = command.Comment;
                task.Assignee ??= command.Actor.Name;
                await writer.CancelTaskTimersAsync(task.Id, cancellationToken);
                writer.AddEvent(record.Id,
                    command.Decision == Decision.Approve ? CaseEventTypes.TaskApproved : CaseEventTypes.TaskRejected,
                    task.StepId, task.Id, command.Actor.Name, command.Comment);
                audit.Add(command.Actor, command.Decision == Decision.Approve ? AuditActions.TaskApproved : AuditActions.TaskRejected,
                    AuditTargets.Task, task.Id.ToString(), $"case {record.CaseNumber}, step {task.StepId}");
                await writer.ApplyAsync(record, applied, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                outbox.Notify();
                logger.LogInformation("Task {TaskId} ({StepId}) of case {CaseId} {Decision}; case is {Status}",
                    task.Id, task.StepId, record.Id, task.State, record.Status);
                return TaskCommandResult.Done;
            default:
                throw new InvalidOperationException($"Unexpected engine result {result.GetType().Name}");
        }
    }

    private static TaskCommandResult? Refusal(DepartmentTask task, DecideTaskCommand command)
    {
        if (command.Source == DecisionSource.DepartmentSystem)
        {
            return TaskStates.IsEnded(task.State) ? TaskCommandResult.Done : null;
        }

        if (task.Kind == "automated")
        {
            return TaskCommandResult.Conflict("This task is handled by the department's own system, not by a reviewer.");
        }

        return task.State switch
        {
            TaskStates.Approved or TaskStates.Rejected => TaskCommandResult.Conflict($"This task has already been decided ({task.State})."),
            TaskStates.Cancelled => TaskCommandResult.Conflict("This task was cancelled because its case ended."),
            TaskStates.Dispatched => TaskCommandResult.Conflict("This task has not reached the department's inbox yet."),
            TaskStates.Claimed when task.Assignee != command.Actor.Name =>
                TaskCommandResult.Conflict($"This task is claimed by {task.Assignee}; only they (or a supervisor reassigning it) can go on."),
            _ => null,
        };
    }
}
