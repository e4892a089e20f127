using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Deadlines;

/// <param name="WorkingDays">As the reviewer entered it: checked here, so every entry point answers the same.</param>
/// <param name="Reason">As entered; trimmed here.</param>
public sealed record RequestExtensionCommand(Guid TaskId, int? WorkingDays, string? Reason, AuditActor Reviewer);

/// <summary>延期: the reviewer of an open task asks a supervisor for more working days, before its deadline passes.</summary>
public sealed class RequestExtension(
    CaseCommands commands, OneThingDbContext db, CaseHistory history, AuditTrail audit, TimeProvider clock, ILogger<RequestExtension> logger)
{
    public const int MaxWorkingDays = 30;

    /// <summary>The reviewer's reason and the supervisor's answer alike.</summary>
    public const int MaxReasonLength = 1000;

    /// <summary>Checked before the task is looked up, so a wrong request is answered as such whatever task it names.</summary>
    public Task<CommandResult<ExtensionRequest>> HandleAsync(RequestExtensionCommand command, CancellationToken cancellationToken)
    {
        var wrongDays = command.WorkingDays is >= 1 and <= MaxWorkingDays
            ? null
            : new Refusal.Invalid("workingDays", $"workingDays is a whole number of working days from 1 to {MaxWorkingDays} (延期工作日数).");
        if (Refusal.Invalid.Combine(wrongDays, RequiredReason(command.Reason)) is { } invalid)
        {
            return Task.FromResult<CommandResult<ExtensionRequest>>(invalid);
        }

        var (days, reason) = (command.WorkingDays!.Value, command.Reason!.Trim());
        return commands.OnTaskAsync(command.TaskId, (unit, task, token) => RequestAsync(unit, task, days, reason, command.Reviewer, token), cancellationToken);
    }

    /// <summary>The reason a request, and a refusal of one, cannot go without.</summary>
    internal static Refusal.Invalid? RequiredReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength
            ? new Refusal.Invalid("reason", $"A reason (1 to {MaxReasonLength} characters) is required, e.g. 需现场核查，申请延期 (理由必填).")
            : null;

    private async Task<CommandResult<ExtensionRequest>> RequestAsync(CaseUnit unit, DepartmentTask task, int days, string reason, AuditActor reviewer,
        CancellationToken cancellationToken)
    {
        var record = unit.Record;
        var now = clock.GetUtcNow();
        if (Guard(task, reviewer, now) is { } refusal)
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
            RequestedBy = reviewer.Name,
            RequestedDays = days,
            Reason = reason,
            RequestedAt = now,
            State = ExtensionStates.Pending,
            DueBefore = task.DueAt,
        };
        db.ExtensionRequests.Add(request);
        history.Add(record.Id, CaseEventTypes.ExtensionRequested, task.StepId, task.Id, reviewer.Name,
            $"{days} working days asked: {reason}");
        audit.Add(reviewer, AuditActions.ExtensionRequested, AuditTargets.Task, task.Id.ToString(),
            $"case {record.CaseNumber}, step {task.StepId}: {days} working days");
        logger.LogInformation("Extension of {WorkingDays} working days asked on task {TaskId} of case {CaseId}", days, task.Id, record.Id);
        return CommandResult<ExtensionRequest>.Done(request);
    }

    private static Refusal? Guard(DepartmentTask task, AuditActor reviewer, DateTimeOffset now) => TaskLifecycle.CanExtend(task, reviewer) ?? task switch
    {
        { DueAt: null } => new Refusal.Conflict("This step has no deadline (承诺时限) to extend."),
        { DueAt: { } due } when due <= now => new Refusal.Conflict("The deadline has already passed; an extension (延期) is asked before it passes."),
        _ => null,
    };
}
