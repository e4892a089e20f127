using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OneThing.Contracts;
using OneThing.Contracts.Codes;
using OneThing.Engine;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Messaging;
using OneThing.Processing.Notifications;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Cases;

/// <summary>
/// Turns what the engine decided into rows: the new case state, journal entries, task rows and outbox messages,
/// all in the caller's transaction. Nothing is sent from here.
/// </summary>
public sealed class CaseWriter(
    OneThingDbContext db, SlaClock slaClock, CaseClock caseClock, WorkflowRegistry workflows, TimeProvider clock, IOptions<ProcessingOptions> options)
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

    /// <summary>Applies an event to a case the caller has locked, and writes the result when the engine applied it.</summary>
    public async Task<EngineResult> ApplyEventAsync(CaseRecord record, CaseEvent @event, CancellationToken cancellationToken)
    {
        var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
        var result = CaseEngine.Apply(definition, ReadState(record), ReadForm(record), @event, clock.GetUtcNow());
        if (result is Applied applied)
        {
            await ApplyAsync(record, applied, cancellationToken);
        }

        return result;
    }

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
                        Round = dispatch.Round,
                        Chosen = dispatch.Chosen,
                    };
                    db.DepartmentTasks.Add(dispatched);
                    if (dispatch.Sla is { } taskSla)
                    {
                        var workflow = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
                        ScheduleTaskDeadline(dispatched, taskSla, now, workflow);
                    }

                    Enqueue(
                        new RequestDepartmentTask(dispatch.TaskId, record.Id, record.CaseNumber, record.WorkflowId,
                            dispatch.StepId, dispatch.Department, JsonNamingPolicy.CamelCase.ConvertName(dispatch.Kind.ToString()), Attempt: 1),
                        record.Id,
                        DepartmentQueues.For(dispatch.Department, dispatch.Kind));
                    AddEvent(record.Id, CaseEventTypes.TaskDispatched, dispatch.StepId, dispatch.TaskId,
                        detail: GovernanceEffects.WithRound(dispatch.Place is { } place ? $"{dispatch.Department} ({place})" : dispatch.Department, dispatch.Round));
                    break;

                case CancelTask cancel:
                    var task = await db.DepartmentTasks.SingleAsync(t => t.Id == cancel.TaskId, cancellationToken);
                    if (!TaskStates.IsEnded(task.State))
                    {
                        task.State = TaskStates.Cancelled;
                        task.EndedAt = now;
                    }

                    await CancelTaskTimersAsync(task.Id, cancellationToken);

                    // The reason may hold a clerk's own words: it goes into history, only the cause onto the bus.
                    var cause = CauseCode(cancel.Cause);
                    Enqueue(
                        new CancelDepartmentTask(cancel.TaskId, record.Id, record.CaseNumber, cancel.StepId, cancel.Department,
                            CancelCauses.Describe(cause), cause),
                        record.Id,
                        DepartmentQueues.For(cancel.Department, Enum.Parse<StepKind>(task.Kind, ignoreCase: true)));
                    AddEvent(record.Id, CaseEventTypes.TaskCancelled, cancel.StepId, cancel.TaskId, detail: cancel.Reason);
                    break;

                case SkipStep skip:
                    AddEvent(record.Id, CaseEventTypes.StepSkipped, skip.StepId, detail: skip.Reason);
                    break;

                case CompleteCase complete:
                    await CancelCaseTimersAsync(record.Id, cancellationToken);
                    // A withdrawal is recorded by the command, with who withdrew and why.
                    if (complete.Outcome != CaseStatus.Withdrawn)
                    {
                        AddEvent(record.Id, complete.Outcome == CaseStatus.Completed ? CaseEventTypes.CaseCompleted : CaseEventTypes.CaseRejected);
                    }

                    Enqueue(new CaseCompleted(record.Id, record.CaseNumber, record.WorkflowId, StatusName(complete.Outcome), now), record.Id);
                    break;

                case StartWait wait:
                    var until = slaClock.Calendar.DueAt(now, wait.Duration).ToUniversalTime();
                    db.Timers.Add(new DeadlineTimer
                    {
                        CaseId = record.Id, StepId = wait.StepId, Kind = TimerKinds.WaitElapsed, DueAt = until, CreatedAt = now,
                    });
                    AddEvent(record.Id, CaseEventTypes.WaitStarted, wait.StepId, detail: $"{wait.Duration} until {until:O}");
                    break;

                case CancelWait cancelWait:
                    CancelUnsaved(t => t.CaseId == record.Id && t.StepId == cancelWait.StepId, now);
                    await db.Timers
                        .Where(t => t.CaseId == record.Id && t.StepId == cancelWait.StepId && t.FiredAt == null && t.CancelledAt == null)
                        .ExecuteUpdateAsync(set => set.SetProperty(t => t.CancelledAt, now), cancellationToken);
                    AddEvent(record.Id, CaseEventTypes.WaitCancelled, cancelWait.StepId);
                    break;

                case SendNotification notify:
                    var notification = new NotificationRecord
                    {
                        Id = Guid.CreateVersion7(now),
                        CaseId = record.Id,
                        StepId = notify.StepId,
                        Recipient = notify.To,
                        Address = await AddressAsync(record, notify.To, cancellationToken),
                        MessageZh = notify.Message.Zh,
                        MessageEn = notify.Message.En,
                        CreatedAt = now,
                        NextAttemptAt = now + options.Value.RedeliveryTimeout,
                    };
                    db.Notifications.Add(notification);
                    Enqueue(new DeliverNotification(notification.Id, record.Id), record.Id, NotificationConsumer.Queue);
                    AddEvent(record.Id, CaseEventTypes.NotificationSent, notify.StepId, detail: $"to {notify.To}: {notify.Message.Zh}");
                    break;

                case StepEnded ended:
                    AddEvent(record.Id, CaseEventTypes.StepEnded, ended.StepId, detail: ended.Outcome);
                    break;

                case StepReevaluated reevaluated:
                    AddEvent(record.Id, CaseEventTypes.StepReevaluated, reevaluated.StepId, actor: "report", detail: reevaluated.Reason);
                    break;

                case StepForced forced:
                    AddEvent(record.Id, CaseEventTypes.StepForced, forced.StepId, actor: "deadline", detail: $"started because step {forced.ByStep} missed its deadline");
                    break;

                case PauseTask pause:
                    var paused = await db.DepartmentTasks.SingleAsync(t => t.Id == pause.TaskId, cancellationToken);
                    paused.State = TaskStates.AwaitingSupplement;
                    paused.PausedAt = now;
                    await CancelTaskTimersAsync(paused.Id, cancellationToken, at: now);
                    break;

                case ResumeTask resume:
                    await ResumeAsync(record.Id, resume.TaskId, now, cancellationToken);
                    break;

                case DepartmentsChosen or LoopRepeated or LoopSatisfied or LoopExhausted:
                    var ladder = slaClock.Ladder(await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken));
                    await GovernanceEffects.ApplyAsync(this, db, ladder, record.Id, effect, cancellationToken);
                    break;
            }
        }

        await caseClock.FollowAsync(record, applied.State, cancellationToken);
    }

    private static string CauseCode(CancelCause cause) => cause switch
    {
        CancelCause.CaseRejected => CancelCauses.CaseRejected,
        CancelCause.CaseWithdrawn => CancelCauses.CaseWithdrawn,
        CancelCause.DeadlineMissed => CancelCauses.DeadlineMissed,
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "A cancel cause without a contract code"),
    };

    /// <summary>
    /// The clock stood still from the pause to now: the paused time (counted the way the SLA counts time) is added to
    /// the task's paused total, and its due time and every timer the pause cancelled move on by it.
    /// </summary>
    private async Task ResumeAsync(Guid caseId, Guid taskId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var task = await db.DepartmentTasks.SingleAsync(t => t.Id == taskId, cancellationToken);
        var pausedAt = task.PausedAt ?? now;
        task.State = task.Assignee is null ? TaskStates.Open : TaskStates.Claimed;
        task.PausedAt = null;
        if (task.Sla is { } slaText && Sla.TryParse(slaText, out var sla, out _) && task.DueAt is { } due)
        {
            var pausedFor = slaClock.Calendar.Elapsed(pausedAt, now, sla);
            task.PausedSeconds += pausedFor.TotalSeconds;
            task.DueAt = slaClock.Calendar.Extend(due, pausedAt, now, sla).ToUniversalTime();
            task.WarnAt = task.WarnAt is { } warn ? slaClock.Calendar.Extend(warn, pausedAt, now, sla).ToUniversalTime() : null;
            var stopped = await db.Timers
                .Where(t => t.TaskId == taskId && t.FiredAt == null && t.CancelledAt == pausedAt)
                .ToListAsync(cancellationToken);
            foreach (var timer in stopped)
            {
                AddTimer(caseId, taskId, timer.Kind, timer.Level, slaClock.Calendar.Extend(timer.DueAt, pausedAt, now, sla).ToUniversalTime());
            }

            AddEvent(caseId, CaseEventTypes.TaskResumed, task.StepId, task.Id, task.Assignee,
                $"clock stopped for {pausedFor.TotalHours:0.##} h; now due {task.DueAt:O}");
        }
        else
        {
            AddEvent(caseId, CaseEventTypes.TaskResumed, task.StepId, task.Id, task.Assignee);
        }
    }

    /// <summary>applicant: the first mobile field of the form; clerk: none (read in the case); otherwise the named mobile field.</summary>
    private async Task<string?> AddressAsync(CaseRecord record, string to, CancellationToken cancellationToken)
    {
        if (to == NotificationSpec.Clerk)
        {
            return null;
        }

        var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, cancellationToken);
        var key = to == NotificationSpec.Applicant ? definition.Form.FirstOrDefault(f => f.Type == FieldType.Mobile)?.Key : to;
        return key is not null && ReadForm(record).TryGet(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
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

    public void ScheduleTaskDeadline(DepartmentTask task, Sla sla, DateTimeOffset start, WorkflowDefinition workflow)
    {
        var plan = slaClock.Plan(start, sla, workflow);
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
    /// <param name="at">The cancellation time to record; a pause passes its own start so that resuming finds the timers it stopped.</param>
    public Task CancelTaskTimersAsync(Guid taskId, CancellationToken cancellationToken, DateTimeOffset? at = null)
    {
        var now = at ?? clock.GetUtcNow();
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
