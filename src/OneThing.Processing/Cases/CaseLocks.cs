using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

public static class CaseLocks
{
    /// <summary>
    /// Every change to a case runs under this row lock, so concurrent decisions on one case apply one at a time.
    /// NO KEY UPDATE, because the key never changes: inserts into tables that reference the case (history, tasks,
    /// timers) only need a key-share lock and must not queue behind it, or they deadlock with the lock holder.
    /// </summary>
    public static Task<CaseRecord> LockCaseAsync(this OneThingDbContext db, Guid caseId, CancellationToken cancellationToken) =>
        db.Cases.FromSql($"SELECT * FROM cases WHERE id = {caseId} FOR NO KEY UPDATE").SingleAsync(cancellationToken);
}
