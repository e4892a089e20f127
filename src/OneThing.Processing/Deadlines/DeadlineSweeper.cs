using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Deadlines;

/// <summary>
/// Fires due deadline timers. Each timer fires in its own transaction (<see cref="TimerFiring"/>) that first locks its
/// case (the same order as every other change to a case) and then claims the timer with SKIP LOCKED, so with any number
/// of hosts a timer fires exactly once; timers that came due while every host was down fire on the next sweep. A timer
/// whose firing throws is retried with backoff, and after the last attempt shown to supervisors as failed.
/// </summary>
public sealed class DeadlineSweeper(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    TimeProvider clock,
    IOptions<DeadlineOptions> options,
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
        var scope = await OpenAsync(cancellationToken);
        try
        {
            while (true)
            {
                var due = await FindDueAsync(scope.ServiceProvider.GetRequiredService<OneThingDbContext>(), cancellationToken);
                var firedThisRound = 0;
                foreach (var candidate in due)
                {
                    try
                    {
                        if (await scope.ServiceProvider.GetRequiredService<TimerFiring>().FireAsync(candidate, cancellationToken))
                        {
                            firedThisRound++;
                        }
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Its transaction is rolled back; the failure is recorded on the timer and the sweep goes on with
                        // the others, on a fresh connection in case this one broke.
                        await scope.DisposeAsync();
                        await RecordFailureAsync(candidate, ex, cancellationToken);
                        scope = await OpenAsync(cancellationToken);
                    }
                }

                fired += firedThisRound;
                if (due.Count < options.Value.SweepBatchSize || firedThisRound == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            await scope.DisposeAsync();
        }

        if (fired > 0)
        {
            outbox.Notify();
        }

        return fired;
    }

    /// <summary>
    /// A scope for the sweep's timers, one after another, with its connection held open: each timer's transaction
    /// would otherwise take it from the pool and hand it back, resetting the session each time.
    /// </summary>
    private async Task<AsyncServiceScope> OpenAsync(CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<OneThingDbContext>().Database.OpenConnectionAsync(cancellationToken);
            return scope;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    private Task<List<DeadlineTimer>> FindDueAsync(OneThingDbContext db, CancellationToken cancellationToken) =>
        db.Timers
            .FromSqlRaw(DueTimersSql, clock.GetUtcNow(), options.Value.SweepBatchSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken);

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
