using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Contracts;
using OneThing.Engine;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>
/// Turns what the engine decided into rows: the new case state, journal entries, task rows and outbox messages,
/// all in the caller's transaction. Nothing is sent from here.
/// </summary>
public sealed class CaseWriter(OneThingDbContext db, SlaClock slaClock, TimeProvider clock)
{
    public static string StatusName(CaseStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    public static CaseState ReadState(CaseRecord record) =>
        JsonSerializer.Deserialize<CaseState>(record.State, OneThingJson.Options)
        ?? throw new InvalidOperationException($"Case {record.Id} has no stored state");

    public static FormData ReadForm(CaseRecord record)
    {
        using var document = JsonDocument.Parse(record.Form);
        return FormData.FromJson(document.RootElement.Clone());
    }

    public void AddEvent(Guid caseId, string type, string? stepId = null, Guid? taskId = null, string? actor = null, string? detail = null) =>
        db.CaseEvents.Add(new CaseEventRecord
        {
            CaseId = caseId,
            Type = type,
            StepId = stepId,
            TaskId = taskId,
            Actor = actor,
            Detail = detail,
            OccurredAt = clock.GetUtcNow(),
        });

    public void Enqueue<TMessage>(TMessage message, Guid caseId, string? destination = null) where TMessage : class =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(),
            MessageType = typeof(TMessage).Name,
            Destination = destination,
            Payload = JsonSerializer.Serialize(message, OneThingJson.Options),
            CaseId = caseId,
            CreatedAt = clock.GetUtcNow(),
        });

    public async Task ApplyAsync(CaseRecord record, Applied applied, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        record.State = JsonSerializer.Serialize(applied.State, OneThingJson.Options);
        record.Status = StatusName(applied.State.Status);
        record.UpdatedAt = now;
        record.EndedAt = applied.State.EndedAt;

        foreach (var effect in applied.Effects)
        {
            switch (effect)
            {
                case DispatchTask dispatch:
                    var dispatched = new DepartmentTask
                    {
                        Id = dispatch.TaskId,
                        CaseId = record.Id,
                        StepId = dispatch.StepId,
                        Department = dispatch.Department,
                        Kind = JsonNamingPolicy.CamelCase.ConvertName(dispatch.Kind.ToString()),
                        State = TaskStates.Dispatched,
                        DispatchAttempts = 1,
                        CreatedAt = now,
                        LastDispatchedAt = now,
                    };
                    db.DepartmentTasks.Add(dispatched);
                    if (dispatch.Sla is { } taskSla)
                    {
                        ScheduleTaskDeadline(dispatched, taskSla, now);
                    }

                    Enqueue(
                        new RequestDepartmentTask(dispatch.TaskId, record.Id, record.CaseNumber, record.WorkflowId,
                            dispatch.StepId, dispatch.Department, JsonNamingPolicy.CamelCase.ConvertName(dispatch.Kind.ToString()), Attempt: 1),
                        record.Id,
                        DepartmentQueues.For(dispatch.Department, dispatch.Kind));
                    AddEvent(record.Id, CaseEventTypes.TaskDispatched, dispatch.StepId, dispatch.TaskId, detail: dispatch.Department);
                    break;

                case CancelTask cancel:
                    var task = await db.DepartmentTasks.SingleAsync(t => t.Id == cancel.TaskId, cancellationToken);
                    if (!TaskStates.IsEnded(task.State))
                    {
                        task.State = TaskStates.Cancelled;
                        task.EndedAt = now;
                    }

                    await CancelTaskTimersAsync(task.Id, cancellationToken);

                    Enqueue(
                        new CancelDepartmentTask(cancel.TaskId, record.Id, record.CaseNumber, cancel.StepId, cancel.Department, cancel.Reason),
                        record.Id,
                        DepartmentQueues.For(cancel.Department, Enum.Parse<StepKind>(task.Kind, ignoreCase: true)));
                    AddEvent(record.Id, CaseEventTypes.TaskCancelled, cancel.StepId, cancel.TaskId, detail: cancel.Reason);
                    break;

                case SkipStep skip:
                    AddEvent(record.Id, CaseEventTypes.StepSkipped, skip.StepId, detail: skip.Reason);
                    break;

                case CompleteCase complete:
                    await CancelCaseTimersAsync(record.Id, cancellationToken);
                    AddEvent(record.Id, complete.Outcome == CaseStatus.Completed ? CaseEventTypes.CaseCompleted : CaseEventTypes.CaseRejected);
                    Enqueue(new CaseCompleted(record.Id, record.CaseNumber, record.WorkflowId, StatusName(complete.Outcome), now), record.Id);
                    break;
            }
        }
    }

    public void StartCaseDeadline(CaseRecord record, Sla sla)
    {
        var plan = slaClock.Plan(record.FiledAt, sla);
        record.Sla = sla.ToString();
        record.DueAt = plan.DueAt;
        record.WarnAt = plan.WarnAt;
        AddTimer(record.Id, null, TimerKinds.CaseWarning, 0, plan.WarnAt);
        AddTimer(record.Id, null, TimerKinds.CaseBreach, 0, plan.DueAt);
    }

    public void ScheduleTaskDeadline(DepartmentTask task, Sla sla, DateTimeOffset start)
    {
        var plan = slaClock.Plan(start, sla);
        task.Sla = sla.ToString();
        task.DueAt = plan.DueAt;
        task.WarnAt = plan.WarnAt;
        AddTimer(task.CaseId, task.Id, TimerKinds.TaskWarning, 0, plan.WarnAt);
        AddTimer(task.CaseId, task.Id, TimerKinds.TaskBreach, 0, plan.DueAt);
        foreach (var (level, _, at) in plan.Escalations)
        {
            AddTimer(task.CaseId, task.Id, TimerKinds.TaskEscalation, level, at);
        }
    }

    /// <summary>A task that ended no longer needs its timers; cancelling them keeps the pending-timer index small.</summary>
    public Task CancelTaskTimersAsync(Guid taskId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        CancelUnsaved(t => t.TaskId == taskId, now);
        return db.Timers
            .Where(t => t.TaskId == taskId && t.FiredAt == null && t.CancelledAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.CancelledAt, now), cancellationToken);
    }

    public Task CancelCaseTimersAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        CancelUnsaved(t => t.CaseId == caseId, now);
        return db.Timers
            .Where(t => t.CaseId == caseId && t.FiredAt == null && t.CancelledAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.CancelledAt, now), cancellationToken);
    }

    private void CancelUnsaved(Func<DeadlineTimer, bool> belongs, DateTimeOffset now)
    {
        foreach (var timer in db.Timers.Local.Where(t => t.FiredAt is null && t.CancelledAt is null).Where(belongs))
        {
            timer.CancelledAt = now;
        }
    }

    private void AddTimer(Guid caseId, Guid? taskId, string kind, int level, DateTimeOffset dueAt) =>
        db.Timers.Add(new DeadlineTimer
        {
            CaseId = caseId,
            TaskId = taskId,
            Kind = kind,
            Level = level,
            DueAt = dueAt,
            CreatedAt = clock.GetUtcNow(),
        });
}

public static class CaseEventTypes
{
    public const string CaseFiled = "case-filed";
    public const string TaskDispatched = "task-dispatched";
    public const string TaskRedispatched = "task-redispatched";
    public const string TaskReceived = "task-received";
    public const string TaskClaimed = "task-claimed";
    public const string TaskApproved = "task-approved";
    public const string TaskRejected = "task-rejected";
    public const string TaskCancelled = "task-cancelled";
    public const string StepSkipped = "step-skipped";
    public const string CaseCompleted = "case-completed";
    public const string CaseRejected = "case-rejected";
    public const string TaskWarning = "task-warning";
    public const string TaskBreached = "task-breached";
    public const string TaskEscalated = "task-escalated";
    public const string CaseWarning = "case-warning";
    public const string CaseBreached = "case-breached";
    public const string TaskUrged = "task-urged";
    public const string TaskReassigned = "task-reassigned";
}
