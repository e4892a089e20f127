using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Deadlines;

public sealed record RequestExtensionCommand(Guid TaskId, int WorkingDays, string Reason, AuditActor Reviewer);

/// <summary>延期: the reviewer of an open task asks a supervisor for more working days, before its deadline passes.</summary>
public sealed class RequestExtension(
    CaseCommands commands, OneThingDbContext db, CaseHistory history, AuditTrail audit, TimeProvider clock, ILogger<RequestExtension> logger)
{
    public const int MaxWorkingDays = 30;

    /// <summary>The reviewer's reason and the supervisor's answer alike.</summary>
    public const int MaxReasonLength = 1000;

    public Task<CommandResult<ExtensionRequest>> HandleAsync(RequestExtensionCommand command, CancellationToken cancellationToken) =>
        commands.OnTaskAsync(command.TaskId, (unit, task, token) => RequestAsync(unit, task, command, token), cancellationToken);

    private async Task<CommandResult<ExtensionRequest>> RequestAsync(CaseUnit unit, DepartmentTask task, RequestExtensionCommand command,
        CancellationToken cancellationToken)
    {
        var record = unit.Record;
        var now = clock.GetUtcNow();
        if (Guard(task, command.Reviewer, now) is { } refusal)
        {
            return refusal;
        }

        if (await db.ExtensionRequests.AnyAsync(r => r.TaskId == task.Id && r.State == ExtensionStates.Pending, cancellationToken))
        {
            return new Refusal.Conflict("An extension (延期) of this task already waits for a supervisor's decision.");
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
        history.Add(record.Id, CaseEventTypes.ExtensionRequested, task.StepId, task.Id, command.Reviewer.Name,
            $"{command.WorkingDays} working days asked: {command.Reason}");
        audit.Add(command.Reviewer, AuditActions.ExtensionRequested, AuditTargets.Task, task.Id.ToString(),
            $"case {record.CaseNumber}, step {task.StepId}: {command.WorkingDays} working days");
        logger.LogInformation("Extension of {WorkingDays} working days asked on task {TaskId} of case {CaseId}", command.WorkingDays, task.Id, record.Id);
        return CommandResult<ExtensionRequest>.Done(request);
    }

    private static Refusal? Guard(DepartmentTask task, AuditActor reviewer, DateTimeOffset now) => TaskLifecycle.CanExtend(task, reviewer) ?? task switch
    {
        { DueAt: null } => new Refusal.Conflict("This step has no deadline (承诺时限) to extend."),
        { DueAt: { } due } when due <= now => new Refusal.Conflict("The deadline has already passed; an extension (延期) is asked before it passes."),
        _ => null,
    };
}
