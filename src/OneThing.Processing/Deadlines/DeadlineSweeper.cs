using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Messaging;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Processing.Commands;

namespace OneThing.Processing.Deadlines;

/// <summary>
/// Fires due deadline timers. Each timer fires in its own transaction that first locks its case (the same order as
/// every other change to a case) and then claims the timer with SKIP LOCKED, so with any number of hosts a timer
/// fires exactly once; timers that came due while every host was down fire on the next sweep.
/// </summary>
public sealed class DeadlineSweeper(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    TimeProvider clock,
    IOptions<DeadlineOptions> options,
    SlaClock slaClock,
    ILogger<DeadlineSweeper> logger) : BackgroundService
{
    public const string DueTimersSql =
        "SELECT * FROM timers WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= {0} AND failed_at IS NULL "
        + "AND (next_attempt_at IS NULL OR next_attempt_at <= {0}) ORDER BY due_at LIMIT {1}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Deadline sweep failed; trying again at the next interval");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>Fires every timer due now; returns how many fired here.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var fired = 0;
        while (true)
        {
            var due = await FindDueAsync(cancellationToken);
            var firedThisRound = 0;
            foreach (var candidate in due)
            {
                if (await TryFireAsync(candidate, cancellationToken))
                {
                    firedThisRound++;
                }
            }

            fired += firedThisRound;
            if (due.Count < options.Value.SweepBatchSize || firedThisRound == 0)
            {
                break;
            }
        }

        if (fired > 0)
        {
            outbox.Notify();
        }

        return fired;
    }

    private async Task<List<DeadlineTimer>> FindDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        return await db.Timers
            .FromSqlRaw(DueTimersSql, clock.GetUtcNow(), options.Value.SweepBatchSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Fires one timer; when its firing throws, its transaction is rolled back, the failure is recorded on the timer
    /// and the sweep goes on with the others.
    /// </summary>
    private async Task<bool> TryFireAsync(DeadlineTimer candidate, CancellationToken cancellationToken)
    {
        try
        {
            return await FireAsync(candidate, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(candidate, ex, cancellationToken);
            return false;
        }
    }

    private async Task RecordFailureAsync(DeadlineTimer candidate, Exception error, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempts = candidate.Attempts + 1;
        var now = clock.GetUtcNow();
        var giveUp = attempts >= settings.TimerMaxAttempts;
        var delay = TimeSpan.FromTicks(Math.Min(settings.TimerRetryMaxDelay.Ticks, settings.TimerRetryDelay.Ticks * (1L << Math.Min(attempts - 1, 20))));
        // The exception's text may quote case data; its type and the first line of its message say enough to find the cause.
        var reason = $"{error.GetType().Name}: {error.Message.Split('\n')[0]}";
        reason = reason.Length <= 300 ? reason : reason[..300];
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        await db.Timers
            .Where(t => t.Id == candidate.Id && t.FiredAt == null && t.Attempts == candidate.Attempts)
            .ExecuteUpdateAsync(update => update
                .SetProperty(t => t.Attempts, attempts)
                .SetProperty(t => t.LastError, reason)
                .SetProperty(t => t.NextAttemptAt, giveUp ? null : now + delay)
                .SetProperty(t => t.FailedAt, giveUp ? now : null), cancellationToken);
        if (giveUp)
        {
            logger.LogError(error, "Timer {TimerId} ({Kind}) of case {CaseId} failed {Attempts} times; marked failed for supervisors",
                candidate.Id, candidate.Kind, candidate.CaseId, attempts);
        }
        else
        {
            logger.LogWarning(error, "Timer {TimerId} ({Kind}) of case {CaseId} failed (attempt {Attempts}); trying again after {Delay}",
                candidate.Id, candidate.Kind, candidate.CaseId, attempts, delay);
        }
    }

    private async Task<bool> FireAsync(DeadlineTimer candidate, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var result = await services.GetRequiredService<CaseCommands>().OnCaseAsync(candidate.CaseId,
            (unit, token) => FireAsync(unit, candidate, services.GetRequiredService<OneThingDbContext>(), services.GetRequiredService<EngineEffects>(),
                services.GetRequiredService<CaseHistory>(), token),
            cancellationToken);
        return result.IsDone;
    }

    private async Task<CommandResult<Unit>> FireAsync(CaseUnit unit, DeadlineTimer candidate, OneThingDbContext db, EngineEffects effects,
        CaseHistory history, CancellationToken cancellationToken)
    {
        var record = unit.Record;
        var timer = await db.Timers
            .FromSql($"SELECT * FROM timers WHERE id = {candidate.Id} AND fired_at IS NULL AND cancelled_at IS NULL FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(cancellationToken);
        if (timer is null)
        {
            return new Refusal.Conflict("Fired or cancelled meanwhile, or firing on another host.");
        }

        var now = clock.GetUtcNow();
        timer.FiredAt = now;
        using var _ = logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = record.Id, ["TimerId"] = timer.Id });
        if (timer.TaskId is { } taskId)
        {
            var task = await db.DepartmentTasks.SingleAsync(t => t.Id == taskId, cancellationToken);
            if (!TaskLifecycle.IsEnded(task.State) && task.PausedAt is null)
            {
                FireTaskTimer(timer, task, history, slaClock.Ladder(unit.Definition), now);
                if (timer.Kind == TimerKinds.TaskBreach)
                {
                    // The step's on_breach actions run in the same transaction that records the breach.
                    await effects.ApplyEventAsync(unit, new StepBreached(task.StepId, task.Id), cancellationToken);
                }
            }
        }
        else if (record.EndedAt is null && timer.Kind == TimerKinds.WaitElapsed && timer.StepId is { } stepId)
        {
            var result = await effects.ApplyEventAsync(unit, new WaitElapsed(stepId), cancellationToken);
            if (result is Refused refused)
            {
                logger.LogWarning("Wait of step {StepId} of case {CaseId} ended but was refused: {Reason}", stepId, record.Id, refused.Reason);
            }
        }
        else if (record.EndedAt is null)
        {
            FireCaseTimer(timer, record, history, now);
        }

        return CommandResult<Unit>.Done(Unit.Value);
    }

    private void FireTaskTimer(DeadlineTimer timer, DepartmentTask task, CaseHistory history, IReadOnlyList<EscalationLevel> ladder, DateTimeOffset now)
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
                logger.LogWarning("Task {TaskId} ({StepId}) of {Department} missed its deadline", task.Id, task.StepId, task.Department);
                break;
            case TimerKinds.TaskEscalation:
                task.EscalationLevel = Math.Max(task.EscalationLevel, timer.Level);
                var to = ladder.ElementAtOrDefault(timer.Level - 1)?.To ?? "supervisor";
                history.Add(task.CaseId, CaseEventTypes.TaskEscalated, task.StepId, task.Id, "deadline", $"level {timer.Level}: {to}");
                logger.LogWarning("Task {TaskId} of {Department} escalated to {EscalatedTo}", task.Id, task.Department, to);
                break;
        }
    }

    private static void FireCaseTimer(DeadlineTimer timer, CaseRecord record, CaseHistory history, DateTimeOffset now)
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

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
