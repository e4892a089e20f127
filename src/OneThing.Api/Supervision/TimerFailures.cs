using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Supervision;

public sealed record TimerFailure(
    long Id,
    Guid CaseId,
    string CaseNumber,
    Guid? TaskId,
    string? StepId,
    string Kind,
    string State,
    DateTimeOffset DueAt,
    int Attempts,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? FailedAt);

public sealed record TimerFailurePage(IReadOnlyList<TimerFailure> Items, int Page, int PageSize, int Total);

/// <summary>Deadline timers whose firing threw: the ones still being retried, or given up on after the last try.</summary>
internal static class TimerFailures
{
    public const string Failed = "failed";
    public const string Retrying = "retrying";

    public static async Task<TimerFailurePage> ListAsync(OneThingDbContext db, string state, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        var timers = state == Failed
            ? db.Timers.Where(t => t.FailedAt != null)
            : db.Timers.Where(t => t.FailedAt == null && t.FiredAt == null && t.CancelledAt == null && t.Attempts > 0);
        var joined = timers.Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new { Timer = t, c.CaseNumber });
        var ordered = state == Failed
            ? joined.OrderByDescending(r => r.Timer.FailedAt).ThenBy(r => r.Timer.Id)
            : joined.OrderBy(r => r.Timer.NextAttemptAt).ThenBy(r => r.Timer.Id);
        var total = await timers.CountAsync(cancellationToken);
        var rows = await ordered.Skip((page - 1) * pageSize).Take(pageSize).AsNoTracking().ToListAsync(cancellationToken);
        var items = rows.Select(r => new TimerFailure(
                r.Timer.Id, r.Timer.CaseId, r.CaseNumber, r.Timer.TaskId, r.Timer.StepId, r.Timer.Kind,
                r.Timer.FailedAt is null ? Retrying : Failed, r.Timer.DueAt, r.Timer.Attempts, r.Timer.LastError,
                r.Timer.NextAttemptAt, r.Timer.FailedAt))
            .ToList();
        return new TimerFailurePage(items, page, pageSize, total);
    }
}
