using System.Text.Json;
using Microsoft.Extensions.Options;
using OneThing.Contracts;
using OneThing.Contracts.Codes;
using OneThing.Engine;
using OneThing.Processing.Commands;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Messaging;
using OneThing.Processing.Notifications;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>
/// Turns what the engine decided into rows: the new case state, history lines, task rows, timers and outbox messages,
/// all in the caller's unit of work. Nothing is sent from here.
/// </summary>
public sealed class EngineEffects(
    OneThingDbContext db,
    CaseHistory history,
    Outbox outbox,
    DeadlineScheduler deadlines,
    SlaClock slaClock,
    CaseClock caseClock,
    TimeProvider clock,
    IOptions<ProcessingOptions> options)
{
    /// <summary>Applies an event to the case, and writes the result when the engine applied it.</summary>
    public async Task<EngineResult> ApplyEventAsync(CaseUnit unit, CaseEvent @event, CancellationToken cancellationToken)
    {
        var result = CaseEngine.Apply(unit.Definition, unit.State, unit.Form, @event, clock.GetUtcNow());
        if (result is Applied applied)
        {
            await ApplyAsync(unit, applied, cancellationToken);
        }

        return result;
    }

    public async Task ApplyAsync(CaseUnit unit, Applied applied, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var record = unit.Record;
        unit.Wrote(applied.State);
        record.UpdatedAt = now;

        foreach (var effect in applied.Effects)
        {
            switch (effect)
            {
                case DispatchTask dispatch:
                    Dispatch(unit, dispatch, now);
                    break;

                case CancelTask cancel:
                    // Usually tracked already (the command loaded it), so this costs no query.
                    var task = await db.DepartmentTasks.FindAsync([cancel.TaskId], cancellationToken)
                        ?? throw new InvalidOperationException($"Task {cancel.TaskId} of case {record.Id} is missing");
                    TaskLifecycle.End(task, StepStatus.Cancelled, now);
                    await deadlines.CancelTaskTimersAsync(unit, task.Id, cancellationToken);

                    // The reason may hold a clerk's own words: it goes into history, only the cause onto the bus.
                    var cause = CauseCode(cancel.Cause);
                    outbox.Enqueue(
                        new CancelDepartmentTask(cancel.TaskId, record.Id, record.CaseNumber, cancel.StepId, cancel.Department,
                            CancelCauses.Describe(cause), cause),
                        record.Id,
                        DepartmentQueues.For(cancel.Department, task.Kind));
                    history.Add(record.Id, CaseEventTypes.TaskCancelled, cancel.StepId, cancel.TaskId, detail: cancel.Reason);
                    break;

                case SkipStep skip:
                    history.Add(record.Id, CaseEventTypes.StepSkipped, skip.StepId, detail: skip.Reason);
                    break;

                case CompleteCase complete:
                    await deadlines.CancelCaseTimersAsync(record.Id, cancellationToken);
                    // A withdrawal is recorded by the command, with who withdrew and why.
                    if (complete.Outcome != CaseStatus.Withdrawn)
                    {
                        history.Add(record.Id, complete.Outcome == CaseStatus.Completed ? CaseEventTypes.CaseCompleted : CaseEventTypes.CaseRejected);
                    }

                    outbox.Enqueue(new CaseCompleted(record.Id, record.CaseNumber, record.WorkflowId, StoredNames.Of(complete.Outcome), now), record.Id);
                    break;

                case StartWait wait:
                    var until = deadlines.StartWait(record.Id, wait.StepId, wait.Duration);
                    history.Add(record.Id, CaseEventTypes.WaitStarted, wait.StepId, detail: $"{wait.Duration} until {until:O}");
                    break;

                case CancelWait cancelWait:
                    await deadlines.CancelWaitAsync(record.Id, cancelWait.StepId, cancellationToken);
                    history.Add(record.Id, CaseEventTypes.WaitCancelled, cancelWait.StepId);
                    break;

                case SendNotification notify:
                    var notification = new NotificationRecord
                    {
                        Id = Guid.CreateVersion7(now),
                        CaseId = record.Id,
                        StepId = notify.StepId,
                        Recipient = notify.To,
                        Address = Address(unit, notify.To),
                        MessageZh = notify.Message.Zh,
                        MessageEn = notify.Message.En,
                        CreatedAt = now,
                        NextAttemptAt = now + options.Value.RedeliveryTimeout,
                    };
                    db.Notifications.Add(notification);
                    outbox.Enqueue(new DeliverNotification(notification.Id, record.Id), record.Id, NotificationConsumer.Queue);
                    history.Add(record.Id, CaseEventTypes.NotificationSent, notify.StepId, detail: $"to {notify.To}: {notify.Message.Zh}");
                    break;

                case StepEnded ended:
                    history.Add(record.Id, CaseEventTypes.StepEnded, ended.StepId, detail: ended.Outcome);
                    break;

                case StepReevaluated reevaluated:
                    history.Add(record.Id, CaseEventTypes.StepReevaluated, reevaluated.StepId, actor: "report", detail: reevaluated.Reason);
                    break;

                case StepForced forced:
                    history.Add(record.Id, CaseEventTypes.StepForced, forced.StepId, actor: "deadline",
                        detail: $"started because step {forced.ByStep} missed its deadline");
                    break;

                case PauseTask pause:
                    var paused = await db.DepartmentTasks.FindAsync([pause.TaskId], cancellationToken)
                        ?? throw new InvalidOperationException($"Task {pause.TaskId} of case {record.Id} is missing");
                    TaskLifecycle.Pause(paused, now);
                    await deadlines.CancelTaskTimersAsync(unit, paused.Id, cancellationToken, at: now);
                    break;

                case ResumeTask resume:
                    var resumed = await db.DepartmentTasks.FindAsync([resume.TaskId], cancellationToken)
                        ?? throw new InvalidOperationException($"Task {resume.TaskId} of case {record.Id} is missing");
                    await deadlines.ResumeTaskAsync(resumed, cancellationToken);
                    break;

                case DepartmentsChosen or LoopRepeated or LoopSatisfied or LoopExhausted:
                    await GovernanceEffects.ApplyAsync(history, db, slaClock.Ladder(unit.Definition), record.Id, effect, cancellationToken);
                    break;
            }
        }

        await caseClock.FollowAsync(record, applied.State, cancellationToken);
    }

    private void Dispatch(CaseUnit unit, DispatchTask dispatch, DateTimeOffset now)
    {
        var record = unit.Record;
        var dispatched = new DepartmentTask
        {
            Id = dispatch.TaskId,
            CaseId = record.Id,
            StepId = dispatch.StepId,
            Department = dispatch.Department,
            Kind = dispatch.Kind,
            State = TaskState.Dispatched,
            DispatchAttempts = 1,
            CreatedAt = now,
            LastDispatchedAt = now,
            Round = dispatch.Round,
            Chosen = dispatch.Chosen,
        };
        db.DepartmentTasks.Add(dispatched);
        if (dispatch.Sla is { } taskSla)
        {
            deadlines.ScheduleTaskDeadline(dispatched, taskSla, now, unit.Definition);
        }

        outbox.Enqueue(
            new RequestDepartmentTask(dispatch.TaskId, record.Id, record.CaseNumber, record.WorkflowId, dispatch.StepId, dispatch.Department, StoredNames.Of(dispatch.Kind), Attempt: 1),
            record.Id,
            DepartmentQueues.For(dispatch.Department, dispatch.Kind));
        history.Add(record.Id, CaseEventTypes.TaskDispatched, dispatch.StepId, dispatch.TaskId,
            detail: GovernanceEffects.WithRound(dispatch.Place is { } place ? $"{dispatch.Department} ({place})" : dispatch.Department, dispatch.Round));
    }

    private static string CauseCode(CancelCause cause) => cause switch
    {
        CancelCause.CaseRejected => CancelCauses.CaseRejected,
        CancelCause.CaseWithdrawn => CancelCauses.CaseWithdrawn,
        CancelCause.DeadlineMissed => CancelCauses.DeadlineMissed,
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause, "A cancel cause without a contract code"),
    };

    /// <summary>applicant: the first mobile field of the form; clerk: none (read in the case); otherwise the named mobile field.</summary>
    private static string? Address(CaseUnit unit, string to)
    {
        if (to == NotificationSpec.Clerk)
        {
            return null;
        }

        var key = to == NotificationSpec.Applicant ? unit.Definition.Form.FirstOrDefault(f => f.Type == FieldType.Mobile)?.Key : to;
        return key is not null && unit.Form.TryGet(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
