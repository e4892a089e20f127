using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Processing.Commands;

namespace OneThing.Processing.Deadlines;

/// <param name="GrantedDays">Approval only: fewer working days than asked, or null for all of them.</param>
/// <param name="Reason">Required to refuse; an optional note to an approval. As entered; trimmed here.</param>
public sealed record DecideExtensionCommand(Guid RequestId, bool Approve, int? GrantedDays, string? Reason, AuditActor Supervisor);

/// <summary>
/// A supervisor grants or refuses an extension (延期). Granted, the task falls due the granted working days later on the
/// business calendar, and its pending warning, breach and escalation timers are planned again on the longer deadline.
/// </summary>
public sealed class DecideExtension(
    CaseCommands commands,
    OneThingDbContext db,
    CaseHistory history,
    SlaClock slaClock,
    AuditTrail audit,
    TimeProvider clock,
    ILogger<DecideExtension> logger)
{
    /// <summary>Checked before the request is looked up, as <see cref="RequestExtension"/> does.</summary>
    public Task<CommandResult<ExtensionRequest>> HandleAsync(DecideExtensionCommand command, CancellationToken cancellationToken)
    {
        if (Check(command) is { } invalid)
        {
            return Task.FromResult<CommandResult<ExtensionRequest>>(invalid);
        }

        var reason = string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim();
        return commands.OnExtensionRequestAsync(command.RequestId, (unit, token) => DecideAsync(unit, command with { Reason = reason }, token),
            cancellationToken);
    }

    private static Refusal.Invalid? Check(DecideExtensionCommand command) => command.Approve
        ? Refusal.Invalid.Combine(
            command.GrantedDays is < 1 or > RequestExtension.MaxWorkingDays
                ? new Refusal.Invalid("workingDays", $"workingDays, when given, is 1 to {RequestExtension.MaxWorkingDays} and at most the days asked (批准天数).")
                : null,
            command.Reason is { Length: > RequestExtension.MaxReasonLength }
                ? new Refusal.Invalid("reason", $"reason is at most {RequestExtension.MaxReasonLength} characters.")
                : null)
        : RequestExtension.RequiredReason(command.Reason);

    private async Task<CommandResult<ExtensionRequest>> DecideAsync(CaseUnit unit, DecideExtensionCommand command, CancellationToken cancellationToken)
    {
        var record = unit.Record;
        var request = await db.ExtensionRequests.SingleAsync(r => r.Id == command.RequestId, cancellationToken);
        if (request.State != ExtensionStates.Pending)
        {
            return new Refusal.Conflict($"This extension request was already decided ({request.State}).");
        }

        if (command.GrantedDays is { } granted && granted > request.RequestedDays)
        {
            return new Refusal.Invalid("workingDays",
                $"At most the {request.RequestedDays} working days asked for can be granted (最多批准申请的天数).");
        }

        var task = await db.DepartmentTasks.SingleAsync(t => t.Id == request.TaskId, cancellationToken);
        var now = clock.GetUtcNow();
        request.DecidedBy = command.Supervisor.Name;
        request.DecidedAt = now;
        request.DecisionReason = command.Reason;
        if (command.Approve)
        {
            if (Reason(task) is { } refusal)
            {
                return new Refusal.Conflict(refusal);
            }

            var days = command.GrantedDays ?? request.RequestedDays;
            await ExtendAsync(unit.Definition, task, days, now, cancellationToken);
            request.State = ExtensionStates.Approved;
            request.GrantedDays = days;
            request.DueAfter = task.DueAt;
            history.Add(record.Id, CaseEventTypes.ExtensionGranted, task.StepId, task.Id, command.Supervisor.Name,
                $"{days} of {request.RequestedDays} working days granted; now due {task.DueAt:O}"
                + (string.IsNullOrWhiteSpace(command.Reason) ? "" : $"; {command.Reason}"));
            audit.Add(command.Supervisor, AuditActions.ExtensionGranted, AuditTargets.Task, task.Id.ToString(),
                $"case {record.CaseNumber}, step {task.StepId}: {days} of {request.RequestedDays} working days, due {request.DueBefore:O} -> {task.DueAt:O}");
        }
        else
        {
            request.State = ExtensionStates.Refused;
            history.Add(record.Id, CaseEventTypes.ExtensionRefused, task.StepId, task.Id, command.Supervisor.Name, command.Reason);
            audit.Add(command.Supervisor, AuditActions.ExtensionRefused, AuditTargets.Task, task.Id.ToString(),
                $"case {record.CaseNumber}, step {task.StepId}: {request.RequestedDays} working days refused");
        }

        logger.LogInformation("Extension {RequestId} of task {TaskId} {Decision}", request.Id, task.Id, request.State);
        return CommandResult<ExtensionRequest>.Done(request);
    }

    private static string? Reason(DepartmentTask task) => task switch
    {
        { State: var state } when TaskLifecycle.IsEnded(state) => $"The task has ended ({TaskStateNames.Of(state)}); there is no deadline left to extend.",
        { PausedAt: not null } => "The task waits for a supplement (补正) with its clock stopped; decide once the clerk has submitted it.",
        { BreachedAt: not null } => "The task missed its deadline before this decision; an extension cannot undo a breach (已超期).",
        { DueAt: null } => "This step has no deadline (承诺时限) to extend.",
        { Sla: var text } when text is null || !Sla.TryParse(text, out _, out _) => "This step has no deadline (承诺时限) to extend.",
        _ => null,
    };

    private async Task ExtendAsync(WorkflowDefinition workflow, DepartmentTask task, int days, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Sla.TryParse(task.Sla!, out var sla, out _);
        var due = slaClock.Calendar.AddWorkingDays(task.DueAt!.Value, days).ToUniversalTime();
        var paused = TimeSpan.FromSeconds(task.PausedSeconds);
        var ladder = slaClock.Ladder(workflow);
        task.DueAt = due;
        task.WarnAt = slaClock.ShareOf(task.CreatedAt, due, sla!, paused, slaClock.WarningShare);
        var pending = await db.Timers
            .Where(t => t.TaskId == task.Id && t.FiredAt == null && t.CancelledAt == null)
            .ToListAsync(cancellationToken);
        foreach (var timer in pending)
        {
            timer.CancelledAt = now;
            var at = timer.Kind switch
            {
                TimerKinds.TaskBreach => due,
                TimerKinds.TaskWarning => task.WarnAt.Value,
                _ => slaClock.ShareOf(task.CreatedAt, due, sla!, paused, ladder.ElementAtOrDefault(timer.Level - 1)?.Share ?? 1),
            };
            db.Timers.Add(new DeadlineTimer { CaseId = task.CaseId, TaskId = task.Id, Kind = timer.Kind, Level = timer.Level, DueAt = at, CreatedAt = now });
        }
    }
}
