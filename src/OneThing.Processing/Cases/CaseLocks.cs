using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>
/// Every change to a case runs under its row lock, so concurrent decisions on one case apply one at a time.
/// NO KEY UPDATE, because the key never changes: inserts into tables that reference the case (history, tasks,
/// timers) only need a key-share lock and must not queue behind it, or they deadlock with the lock holder.
/// The case is found from a task or request in the same statement, so that taking the lock is one round trip.
/// </summary>
/// <remarks>Compiled LINQ queries with the clause added as <see cref="RowLocks"/> describes.</remarks>
public static class CaseLocks
{
    public static readonly Func<OneThingDbContext, Guid, CancellationToken, Task<CaseRecord?>> ById =
        EF.CompileAsyncQuery((OneThingDbContext db, Guid caseId, CancellationToken _) =>
            db.Cases.TagWith(RowLocks.ForNoKeyUpdate).SingleOrDefault(c => c.Id == caseId));

    public static readonly Func<OneThingDbContext, Guid, CancellationToken, Task<CaseRecord?>> ByTask =
        EF.CompileAsyncQuery((OneThingDbContext db, Guid taskId, CancellationToken _) =>
            db.Cases.TagWith(RowLocks.ForNoKeyUpdate).SingleOrDefault(c => c.Id == db.DepartmentTasks.Where(t => t.Id == taskId).Select(t => t.CaseId).FirstOrDefault()));

    public static readonly Func<OneThingDbContext, Guid, CancellationToken, Task<CaseRecord?>> ByExtensionRequest =
        EF.CompileAsyncQuery((OneThingDbContext db, Guid requestId, CancellationToken _) =>
            db.Cases.TagWith(RowLocks.ForNoKeyUpdate).SingleOrDefault(c => c.Id == db.ExtensionRequests.Where(r => r.Id == requestId).Select(r => r.CaseId).FirstOrDefault()));

    public static async Task<CaseRecord> LockCaseAsync(this OneThingDbContext db, Guid caseId, CancellationToken cancellationToken) =>
        await ById(db, caseId, cancellationToken) ?? throw new InvalidOperationException($"Case {caseId} does not exist");
}
