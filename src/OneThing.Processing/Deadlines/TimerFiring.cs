using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Deadlines;

/// <summary>
/// What firing one due timer writes, through the command pipeline: a task's warning, breach or escalation, a case's
/// warning or breach, the end of a wait. One instance serves a whole sweep, one timer after another, so the sweep pays
/// for its scope, its DbContext and its connection once, not per timer.
/// </summary>
public sealed class TimerFiring(
    CaseCommands commands,
    EngineEffects effects,
    CaseHistory history,
    SlaClock slaClock,
    OneThingDbContext db,
    TimeProvider clock,
    ILogger<TimerFiring> logger)
{
    /// <summary>Fires the timer in a transaction of its own; false when another host fired it or it was cancelled.</summary>
    public async Task<bool> FireAsync(DeadlineTimer due, CancellationToken cancellationToken)
    {
        try
        {
            var result = await commands.OnTimerAsync<Unit>(due, FireAsync, cancellationToken);
            return result.IsDone;
        }
        finally
        {
            // The next timer may be of the same case: its rows must be read afresh under its own lock, not taken from
            // the tracker as this transaction left them.
            db.ChangeTracker.Clear();
        }
    }

    private async Task<CommandResult<Unit>> FireAsync(CaseUnit unit, DeadlineTimer timer, DepartmentTask? task, CancellationToken cancellationToken)
    {
        var record = unit.Record;
        var now = clock.GetUtcNow();
        timer.FiredAt = now;
        if (timer.TaskId is { } taskId)
        {
            if (task is null)
            {
                throw new InvalidOperationException($"Task {taskId} of timer {timer.Id} is missing");
            }

            if (!TaskLifecycle.IsEnded(task.State) && task.PausedAt is null)
            {
                FireTaskTimer(timer, task, slaClock.Ladder(unit.Definition), now);
                // The step's on_breach actions run in the same transaction that records the task's breach. A step without
                // them needs no engine run: the engine would only note the breach in the case state, which the task's own
                // breached_at records already (the case view reads it from there), and parsing and rewriting the state
                // was most of a breach's cost.
                if (timer.Kind == TimerKinds.TaskBreach && unit.Definition.FindStep(task.StepId)?.OnBreach is not null)
                {
                    await effects.ApplyEventAsync(unit, new StepBreached(task.StepId, task.Id), cancellationToken);
                }
            }
        }
        else if (record.EndedAt is null && timer.Kind == TimerKinds.WaitElapsed && timer.StepId is { } stepId)
        {
            var result = await effects.ApplyEventAsync(unit, new WaitElapsed(stepId), cancellationToken);
            if (result is Refused refused)
            {
                logger.LogWarning("Wait of step {StepId} of case {CaseId} (timer {TimerId}) ended but was refused: {Reason}",
                    stepId, record.Id, timer.Id, refused.Reason);
            }
        }
        else if (record.EndedAt is null)
        {
            FireCaseTimer(timer, record, now);
        }

        return CommandResult<Unit>.Done(Unit.Value);
    }

    private void FireTaskTimer(DeadlineTimer timer, DepartmentTask task, IReadOnlyList<EscalationLevel> ladder, DateTimeOffset now)
    {
        switch (timer.Kind)
        {
            case TimerKinds.TaskWarning:
                task.WarnedAt = now;
                history.Add(task.CaseId, CaseEventTypes.TaskWarning, task.StepId, task.Id, "deadline", $"due {task.DueAt:O}");
                break;
            case TimerKinds.TaskBreach:
                task.BreachedAt = now;
                history.Add(task.CaseId, CaseEventTypes.TaskBreached, task.StepId, task.Id, "deadline", $"due {task.DueAt:O}");
                logger.LogWarning("Task {TaskId} ({StepId}) of {Department} of case {CaseId} missed its deadline (timer {TimerId})",
                    task.Id, task.StepId, task.Department, task.CaseId, timer.Id);
                break;
            case TimerKinds.TaskEscalation:
                task.EscalationLevel = Math.Max(task.EscalationLevel, timer.Level);
                var to = ladder.ElementAtOrDefault(timer.Level - 1)?.To ?? "supervisor";
                history.Add(task.CaseId, CaseEventTypes.TaskEscalated, task.StepId, task.Id, "deadline", $"level {timer.Level}: {to}");
                logger.LogWarning("Task {TaskId} of {Department} of case {CaseId} escalated to {EscalatedTo} (timer {TimerId})",
                    task.Id, task.Department, task.CaseId, to, timer.Id);
                break;
        }
    }

    private void FireCaseTimer(DeadlineTimer timer, CaseRecord record, DateTimeOffset now)
    {
        switch (timer.Kind)
        {
            case TimerKinds.CaseWarning:
                history.Add(record.Id, CaseEventTypes.CaseWarning, actor: "deadline", detail: $"due {record.DueAt:O}");
                break;
            case TimerKinds.CaseBreach:
                record.BreachedAt = now;
                history.Add(record.Id, CaseEventTypes.CaseBreached, actor: "deadline", detail: $"due {record.DueAt:O}");
                break;
        }
    }
}
