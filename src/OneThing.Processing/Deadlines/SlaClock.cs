using Microsoft.Extensions.Options;
using OneThing.Engine;

namespace OneThing.Processing.Deadlines;

public enum Light
{
    Green,
    Yellow,
    Red,
}

public sealed record DeadlinePlan(DateTimeOffset DueAt, DateTimeOffset WarnAt, IReadOnlyList<(int Level, string To, DateTimeOffset At)> Escalations);

public sealed record DeadlineView(DateTimeOffset? DueAt, double? ElapsedShare, Light? Light, TimeSpan PausedFor, bool Paused);

/// <summary>Deadlines on the business calendar: when a task falls due, turns yellow and escalates, and how far along it is.</summary>
public sealed class SlaClock(BusinessCalendar calendar, IOptions<DeadlineOptions> options)
{
    public BusinessCalendar Calendar { get; } = calendar;

    /// <summary>The workflow's own escalation ladder, or the service's default when the workflow names none.</summary>
    public IReadOnlyList<EscalationLevel> Ladder(WorkflowDefinition? workflow) =>
        workflow is { Escalation.Count: > 0 }
            ? workflow.Escalation
            : options.Value.EffectiveEscalations.Select(step => new EscalationLevel(step.Share, step.To)).ToList();

    public DeadlinePlan Plan(DateTimeOffset start, Sla sla, WorkflowDefinition? workflow = null)
    {
        // PostgreSQL stores instants; the calendar answers in Beijing time, so hand back UTC.
        var due = Calendar.DueAt(start, sla).ToUniversalTime();
        var ladder = Ladder(workflow)
            .Select((step, index) => (Level: index + 1, step.To, At: At(start, due, sla, step.Share).ToUniversalTime()))
            .ToList();
        return new DeadlinePlan(due, At(start, due, sla, options.Value.WarningShare).ToUniversalTime(), ladder);
    }

    public double WarningShare => options.Value.WarningShare;

    /// <summary>
    /// When <paramref name="share"/> of a deadline's own time has been used, not counting the time its clock stood still;
    /// the same share <see cref="View"/> turns yellow and escalates at.
    /// </summary>
    public DateTimeOffset ShareOf(DateTimeOffset start, DateTimeOffset due, Sla sla, TimeSpan paused, double share)
    {
        var total = Calendar.Elapsed(start, due, sla) - paused;
        var at = BusinessCalendar.IsWorkTime(sla)
            ? Calendar.AddWorkingTime(start, paused + total * share)
            : start + paused + total * share;
        return at.ToUniversalTime();
    }

    /// <summary>Where a running deadline stands at <paramref name="now"/>; a paused clock stands still at the pause.</summary>
    public DeadlineView View(DateTimeOffset start, DateTimeOffset? due, string? slaText, TimeSpan pausedFor, DateTimeOffset? pausedAt,
        DateTimeOffset? endedAt, DateTimeOffset now)
    {
        if (due is null || slaText is null || !Sla.TryParse(slaText, out var sla, out _))
        {
            return new DeadlineView(null, null, null, pausedFor, pausedAt is not null);
        }

        var until = pausedAt ?? endedAt ?? now;
        var total = Calendar.Elapsed(start, due.Value, sla) - pausedFor;
        var elapsed = Calendar.Elapsed(start, until, sla) - pausedFor;
        var share = total > TimeSpan.Zero ? Math.Max(0, elapsed / total) : 1;
        // Past the deadline is red even when little office time separates them (e.g. due at closing, now at night).
        if (until > due.Value)
        {
            share = Math.Max(share, 1);
        }

        var light = share >= 1 ? Light.Red : share >= options.Value.WarningShare ? Light.Yellow : Light.Green;
        return new DeadlineView(due, Math.Round(share, 4), light, pausedFor, pausedAt is not null);
    }

    private DateTimeOffset At(DateTimeOffset start, DateTimeOffset due, Sla sla, double share)
    {
        if (BusinessCalendar.IsWorkTime(sla))
        {
            var total = Calendar.WorkingTimeBetween(start, due);
            return Calendar.AddWorkingTime(start, total * share);
        }

        return start + (due - start) * share;
    }
}
