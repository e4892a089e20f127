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
    private static readonly Func<OneThingDbContext, Guid, CancellationToken, Task<CaseRecord?>> LockById =
        EF.CompileAsyncQuery((OneThingDbContext db, Guid caseId, CancellationToken _) =>
            db.Cases.TagWith(RowLocks.ForNoKeyUpdate).SingleOrDefault(c => c.Id == caseId));

    private static readonly Func<OneThingDbContext, Guid, CancellationToken, Task<CaseRecord?>> LockByTask =
        EF.CompileAsyncQuery((OneThingDbContext db, Guid taskId, CancellationToken _) =>
            db.Cases.TagWith(RowLocks.ForNoKeyUpdate).SingleOrDefault(c => c.Id == db.DepartmentTasks.Where(t => t.Id == taskId).Select(t => t.CaseId).FirstOrDefault()));

    private static readonly Func<OneThingDbContext, Guid, CancellationToken, Task<CaseRecord?>> LockByExtensionRequest =
        EF.CompileAsyncQuery((OneThingDbContext db, Guid requestId, CancellationToken _) =>
            db.Cases.TagWith(RowLocks.ForNoKeyUpdate).SingleOrDefault(c => c.Id == db.ExtensionRequests.Where(r => r.Id == requestId).Select(r => r.CaseId).FirstOrDefault()));

    public static Task<CaseRecord?> LockByIdAsync(this OneThingDbContext db, Guid caseId, CancellationToken cancellationToken) =>
        LockById(db, caseId, cancellationToken);

    public static Task<CaseRecord?> LockByTaskAsync(this OneThingDbContext db, Guid taskId, CancellationToken cancellationToken) =>
        LockByTask(db, taskId, cancellationToken);

    public static Task<CaseRecord?> LockByExtensionRequestAsync(this OneThingDbContext db, Guid requestId, CancellationToken cancellationToken) =>
        LockByExtensionRequest(db, requestId, cancellationToken);

    public static async Task<CaseRecord> LockCaseAsync(this OneThingDbContext db, Guid caseId, CancellationToken cancellationToken) =>
        await LockById(db, caseId, cancellationToken) ?? throw new InvalidOperationException($"Case {caseId} does not exist");
}
