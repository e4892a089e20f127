using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>
/// Every change to a case runs under its row lock, so concurrent decisions on one case apply one at a time.
/// NO KEY UPDATE, because the key never changes: inserts into tables that reference the case (history, tasks,
/// timers) only need a key-share lock and must not queue behind it, or they deadlock with the lock holder.
/// The case is found from a task or request in the same statement, so that taking the lock is one round trip.
/// </summary>
public static class CaseLocks
{
    public static FormattableString ById(Guid caseId) => $"SELECT * FROM cases WHERE id = {caseId} FOR NO KEY UPDATE";

    public static FormattableString ByTask(Guid taskId) =>
        $"SELECT * FROM cases WHERE id = (SELECT case_id FROM department_tasks WHERE id = {taskId}) FOR NO KEY UPDATE";

    public static FormattableString ByExtensionRequest(Guid requestId) =>
        $"SELECT * FROM cases WHERE id = (SELECT case_id FROM extension_requests WHERE id = {requestId}) FOR NO KEY UPDATE";

    public static Task<CaseRecord> LockCaseAsync(this OneThingDbContext db, Guid caseId, CancellationToken cancellationToken) =>
        db.Cases.FromSql(ById(caseId)).SingleAsync(cancellationToken);
}
