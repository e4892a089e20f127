using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Deadlines;

public sealed record RequestExtensionCommand(Guid TaskId, int WorkingDays, string Reason, AuditActor Reviewer);

public abstract record ExtensionCommandResult
{
    public sealed record Done(ExtensionRequest Request) : ExtensionCommandResult;
    public sealed record NotFound : ExtensionCommandResult;
    public sealed record Conflict(string Message) : ExtensionCommandResult;
    public sealed record Invalid(string Field, string Message) : ExtensionCommandResult;
}

/// <summary>延期: the reviewer of an open task asks a supervisor for more working days, before its deadline passes.</summary>
public sealed class RequestExtension(OneThingDbContext db, CaseWriter writer, AuditTrail audit, TimeProvider clock, ILogger<RequestExtension> logger)
{
    public const int MaxWorkingDays = 30;

    public async Task<ExtensionCommandResult> HandleAsync(RequestExtensionCommand command, CancellationToken cancellationToken)
    {
        var caseId = await db.DepartmentTasks.AsNoTracking()
            .Where(t => t.Id == command.TaskId)
            .Select(t => (Guid?)t.CaseId)
            .SingleOrDefaultAsync(cancellationToken);
        if (caseId is null)
        {
            return new ExtensionCommandResult.NotFound();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.LockCaseAsync(caseId.Value, cancellationToken);
        var task = await db.DepartmentTasks.SingleAsync(t => t.Id == command.TaskId, cancellationToken);
        var now = clock.GetUtcNow();
        if (Refusal(task, command.Reviewer, now) is { } refusal)
        {
            return new ExtensionCommandResult.Conflict(refusal);
        }

        if (await db.ExtensionRequests.AnyAsync(r => r.TaskId == task.Id && r.State == ExtensionStates.Pending, cancellationToken))
        {
            return new ExtensionCommandResult.Conflict("An extension (延期) of this task already waits for a supervisor's decision.");
        }

        var request = new ExtensionRequest
        {
            Id = Guid.CreateVersion7(now),
            CaseId = record.Id,
            TaskId = task.Id,
            Department = task.Department,
            RequestedBy = command.Reviewer.Name,
            RequestedDays = command.WorkingDays,
            Reason = command.Reason,
            RequestedAt = now,
            State = ExtensionStates.Pending,
            DueBefore = task.DueAt,
        };
        db.ExtensionRequests.Add(request);
        writer.AddEvent(record.Id, CaseEventTypes.ExtensionRequested, task.StepId, task.Id, command.Reviewer.Name,
            $"{command.WorkingDays} working days asked: {command.Reason}");
        audit.Add(command.Reviewer, AuditActions.ExtensionRequested, AuditTargets.Task, task.Id.ToString(),
            $"case {record.CaseNumber}, step {task.StepId}: {command.WorkingDays} working days");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Extension of {WorkingDays} working days asked on task {TaskId} of case {CaseId}", command.WorkingDays, task.Id, record.Id);
        return new ExtensionCommandResult.Done(request);
    }

    private static string? Refusal(DepartmentTask task, AuditActor reviewer, DateTimeOffset now) => task switch
    {
        { Kind: "automated" } => "This task is handled by the department's own system, not by a reviewer.",
        { State: var state } when TaskStates.IsEnded(state) => $"This task has ended ({state}); there is no deadline left to extend.",
        { State: TaskStates.Dispatched } => "This task has not reached the department's inbox yet.",
        { State: TaskStates.AwaitingSupplement } => "The task's clock is stopped while it waits for a supplement (补正); ask for an extension once it runs again.",
        { State: TaskStates.Claimed } when task.Assignee != reviewer.Name => $"This task is claimed by {task.Assignee}; only they may ask to extend it.",
        { DueAt: null } => "This step has no deadline (承诺时限) to extend.",
        { DueAt: { } due } when due <= now => "The deadline has already passed; an extension (延期) is asked before it passes.",
        _ => null,
    };
}
