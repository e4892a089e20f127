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

    private static Refusal? Guard(DepartmentTask task, AuditActor reviewer, DateTimeOffset now) => Reason(task, reviewer, now) is { } reason
        ? new Refusal.Conflict(reason)
        : null;

    private static string? Reason(DepartmentTask task, AuditActor reviewer, DateTimeOffset now) => task switch
    {
        _ when TaskGuards.IsAutomated(task) => "This task is handled by the department's own system, not by a reviewer.",
        { State: var state } when TaskStates.IsEnded(state) => $"This task has ended ({state}); there is no deadline left to extend.",
        { State: TaskStates.Dispatched } => "This task has not reached the department's inbox yet.",
        { State: TaskStates.AwaitingSupplement } => "The task's clock is stopped while it waits for a supplement (补正); ask for an extension once it runs again.",
        { State: TaskStates.Claimed } when task.Assignee != reviewer.Name => $"This task is claimed by {task.Assignee}; only they may ask to extend it.",
        { DueAt: null } => "This step has no deadline (承诺时限) to extend.",
        { DueAt: { } due } when due <= now => "The deadline has already passed; an extension (延期) is asked before it passes.",
        _ => null,
    };
}
