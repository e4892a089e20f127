using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Deadlines;

/// <summary>
/// The case deadline (承诺时限) counts only the time the government has the case: it stops while any task of the case
/// waits for a supplement (补正) and, when the last one is submitted, moves on by the paused time counted the way the
/// case SLA counts time, together with the case timers the pause stopped.
/// </summary>
public sealed class CaseClock(OneThingDbContext db, SlaClock slaClock, TimeProvider clock)
{
    private static readonly string[] CaseTimerKinds = [TimerKinds.CaseWarning, TimerKinds.CaseBreach];

    /// <summary>Stops or restarts the case clock to match <paramref name="state"/>, the state the caller is writing.</summary>
    public async Task FollowAsync(CaseRecord record, CaseState state, CancellationToken cancellationToken)
    {
        var waiting = state.Status == CaseStatus.Running && state.Steps.Any(step => step.AwaitsSupplement);
        if (waiting && record.PausedAt is null)
        {
            await PauseAsync(record, cancellationToken);
        }
        else if (!waiting && record.PausedAt is { } pausedAt)
        {
            await ResumeAsync(record, pausedAt, state.Status == CaseStatus.Running, cancellationToken);
        }
    }

    private async Task PauseAsync(CaseRecord record, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        record.PausedAt = now;
        // Cancelled at the pause's own instant, so that the resumption finds exactly the timers this pause stopped.
        await db.Timers
            .Where(t => t.CaseId == record.Id && t.TaskId == null && CaseTimerKinds.Contains(t.Kind) && t.FiredAt == null && t.CancelledAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.CancelledAt, now), cancellationToken);
    }

    private async Task ResumeAsync(CaseRecord record, DateTimeOffset pausedAt, bool running, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        record.PausedAt = null;
        if (record.Sla is not { } slaText || !Sla.TryParse(slaText, out var sla, out _) || record.DueAt is not { } due)
        {
            return;
        }

        var calendar = slaClock.Calendar;
        var pausedFor = calendar.Elapsed(pausedAt, now, sla);
        record.PausedSeconds += pausedFor.TotalSeconds;
        if (!running)
        {
            return;
        }

        record.DueAt = calendar.Extend(due, pausedAt, now, sla).ToUniversalTime();
        record.WarnAt = record.WarnAt is { } warn ? calendar.Extend(warn, pausedAt, now, sla).ToUniversalTime() : null;
        var stopped = await db.Timers
            .Where(t => t.CaseId == record.Id && t.TaskId == null && CaseTimerKinds.Contains(t.Kind) && t.FiredAt == null && t.CancelledAt == pausedAt)
            .ToListAsync(cancellationToken);
        foreach (var timer in stopped)
        {
            db.Timers.Add(new DeadlineTimer
            {
                CaseId = record.Id,
                Kind = timer.Kind,
                Level = timer.Level,
                DueAt = calendar.Extend(timer.DueAt, pausedAt, now, sla).ToUniversalTime(),
                CreatedAt = now,
            });
        }

        db.CaseEvents.Add(new CaseEventRecord
        {
            CaseId = record.Id,
            Type = CaseEventTypes.CaseClockResumed,
            Actor = "deadline",
            Detail = $"case clock stopped for {pausedFor.TotalHours:0.##} h; now due {record.DueAt:O}",
            OccurredAt = now,
        });
    }
}
