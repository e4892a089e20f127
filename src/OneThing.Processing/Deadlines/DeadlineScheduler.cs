using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Deadlines;

/// <summary>Deadlines of cases and tasks as timer rows: planned on the business calendar, cancelled when no longer needed, moved on after a pause.</summary>
public sealed class DeadlineScheduler(OneThingDbContext db, SlaClock slaClock, CaseHistory history, TimeProvider clock)
{
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

    /// <summary>A wait step's timer; returns when it fires.</summary>
    public DateTimeOffset StartWait(Guid caseId, string stepId, Sla duration)
    {
        var now = clock.GetUtcNow();
        var until = slaClock.Calendar.DueAt(now, duration).ToUniversalTime();
        db.Timers.Add(new DeadlineTimer { CaseId = caseId, StepId = stepId, Kind = TimerKinds.WaitElapsed, DueAt = until, CreatedAt = now });
        return until;
    }

    public Task CancelWaitAsync(Guid caseId, string stepId, CancellationToken cancellationToken) =>
        CancelAsync(t => t.CaseId == caseId && t.StepId == stepId, t => t.CaseId == caseId && t.StepId == stepId, clock.GetUtcNow(), cancellationToken);

    /// <summary>A task that ended no longer needs its timers; cancelling them keeps the pending-timer index small.</summary>
    /// <param name="unit">When it carries the task's open timers (a command on the task), their cancellation rides in the command's one batch.</param>
    /// <param name="at">The cancellation time to record; a pause passes its own start so that resuming finds the timers it stopped.</param>
    public Task CancelTaskTimersAsync(CaseUnit unit, Guid taskId, CancellationToken cancellationToken, DateTimeOffset? at = null)
    {
        var now = at ?? clock.GetUtcNow();
        if (unit.TaskTimers is { } loaded && loaded.TaskId == taskId)
        {
            foreach (var timer in loaded.Open.Where(t => t.FiredAt is null && t.CancelledAt is null))
            {
                timer.CancelledAt = now;
            }

            CancelTracked(t => t.TaskId == taskId, now);
            return Task.CompletedTask;
        }

        return CancelAsync(t => t.TaskId == taskId, t => t.TaskId == taskId, now, cancellationToken);
    }

    public Task CancelCaseTimersAsync(Guid caseId, CancellationToken cancellationToken) =>
        CancelAsync(t => t.CaseId == caseId, t => t.CaseId == caseId, clock.GetUtcNow(), cancellationToken);

    /// <summary>
    /// The clock stood still from the pause to now: the paused time (counted the way the SLA counts time) is added to
    /// the task's paused total, and its due time and every timer the pause cancelled move on by it.
    /// </summary>
    public async Task ResumeTaskAsync(DepartmentTask task, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var pausedAt = task.PausedAt ?? now;
        TaskLifecycle.Resume(task);
        if (task.Sla is { } slaText && Sla.TryParse(slaText, out var sla, out _) && task.DueAt is { } due)
        {
            var pausedFor = slaClock.Calendar.Elapsed(pausedAt, now, sla);
            task.PausedSeconds += pausedFor.TotalSeconds;
            task.DueAt = slaClock.Calendar.Extend(due, pausedAt, now, sla).ToUniversalTime();
            task.WarnAt = task.WarnAt is { } warn ? slaClock.Calendar.Extend(warn, pausedAt, now, sla).ToUniversalTime() : null;
            var stopped = await db.Timers
                .Where(t => t.TaskId == task.Id && t.FiredAt == null && t.CancelledAt == pausedAt)
                .ToListAsync(cancellationToken);
            foreach (var timer in stopped)
            {
                AddTimer(task.CaseId, task.Id, timer.Kind, timer.Level, slaClock.Calendar.Extend(timer.DueAt, pausedAt, now, sla).ToUniversalTime());
            }

            history.Add(task.CaseId, CaseEventTypes.TaskResumed, task.StepId, task.Id, task.Assignee,
                $"clock stopped for {pausedFor.TotalHours:0.##} h; now due {task.DueAt:O}");
        }
        else
        {
            history.Add(task.CaseId, CaseEventTypes.TaskResumed, task.StepId, task.Id, task.Assignee);
        }
    }

    /// <param name="unsaved">The same test as <paramref name="belongs"/>, for timers of this unit of work not yet in the table.</param>
    private Task CancelAsync(System.Linq.Expressions.Expression<Func<DeadlineTimer, bool>> belongs, Func<DeadlineTimer, bool> unsaved, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        CancelTracked(unsaved, now);
        return db.Timers
            .Where(belongs)
            .Where(t => t.FiredAt == null && t.CancelledAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.CancelledAt, now), cancellationToken);
    }

    private void CancelTracked(Func<DeadlineTimer, bool> belongs, DateTimeOffset now)
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
