using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Commands;

/// <summary>
/// The one way a command changes a case: open a transaction, lock the case (see <see cref="CaseLocks"/>), load its
/// workflow version from the cache, let the use case work, then write everything it added in one SaveChanges, commit
/// and wake the outbox relay. A refusal rolls back and leaves nothing tracked, except the audit rows it asked for.
/// </summary>
public sealed partial class CaseCommands(OneThingDbContext db, WorkflowRegistry workflows, AuditTrail audit, Outbox outbox, OutboxSignal signal)
{
    public delegate Task<CommandResult<T>> CaseWork<T>(CaseUnit unit, CancellationToken cancellationToken);

    public delegate Task<CommandResult<T>> TaskWork<T>(CaseUnit unit, DepartmentTask task, CancellationToken cancellationToken);

    private sealed record TaskWithOpenTimers(DepartmentTask Task, List<DeadlineTimer> OpenTimers);

    /// <summary>Every task command's read after the case lock (see <see cref="OnTaskAsync{T}"/>); compiled, so EF builds it once.</summary>
    private static readonly Func<OneThingDbContext, Guid, CancellationToken, Task<TaskWithOpenTimers>> LoadTask =
        EF.CompileAsyncQuery((OneThingDbContext db, Guid taskId, CancellationToken _) => db.DepartmentTasks
            .Where(t => t.Id == taskId)
            .Select(t => new TaskWithOpenTimers(t,
                db.Timers.Where(timer => timer.TaskId == t.Id && timer.FiredAt == null && timer.CancelledAt == null).ToList()))
            .Single());

    public Task<CommandResult<T>> OnCaseAsync<T>(Guid caseId, CaseWork<T> work, CancellationToken cancellationToken) =>
        RunAsync(token => CaseLocks.ById(db, caseId, token), taskId: null, (unit, _, token) => work(unit, token), cancellationToken);

    /// <summary>
    /// Locks the case the task belongs to and hands both to the work. The task row is read after the lock, with its open
    /// timers in the same statement; the unit carries those timers, so that ending the task cancels them in the command's batch.
    /// </summary>
    /// <remarks>
    /// The read is a statement of its own, not part of the lock's: under READ COMMITTED a statement that waited for the
    /// lock still reads the rows it does not lock as they were before the lock holder committed (a claim or a decision
    /// just made would be missed). A statement started after the lock sees them.
    /// </remarks>
    public Task<CommandResult<T>> OnTaskAsync<T>(Guid taskId, TaskWork<T> work, CancellationToken cancellationToken) =>
        RunAsync(token => CaseLocks.ByTask(db, taskId, token), taskId, (unit, task, token) => work(unit, task!, token), cancellationToken);

    public Task<CommandResult<T>> OnExtensionRequestAsync<T>(Guid requestId, CaseWork<T> work, CancellationToken cancellationToken) =>
        RunAsync(token => CaseLocks.ByExtensionRequest(db, requestId, token), taskId: null, (unit, _, token) => work(unit, token), cancellationToken);

    /// <summary>For a command that opens a case: nothing exists to lock yet.</summary>
    public Task<CommandResult<T>> NewCaseAsync<T>(Func<CancellationToken, Task<CommandResult<T>>> work, CancellationToken cancellationToken) =>
        InTransactionAsync(null, work, cancellationToken);

    private Task<CommandResult<T>> RunAsync<T>(Func<CancellationToken, Task<CaseRecord?>> lockCase, Guid? taskId,
        Func<CaseUnit, DepartmentTask?, CancellationToken, Task<CommandResult<T>>> work, CancellationToken cancellationToken)
    {
        CaseUnit? unit = null;
        return InTransactionAsync(() => unit, async token =>
        {
            var record = await lockCase(token);
            if (record is null)
            {
                return new Refusal.NotFound();
            }

            var definition = await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, token);
            if (taskId is not { } id)
            {
                unit = new CaseUnit(record, definition);
                return await work(unit, null, token);
            }

            var loaded = await LoadTask(db, id, token);
            unit = new CaseUnit(record, definition) { TaskTimers = new OpenTaskTimers(id, loaded.OpenTimers) };
            return await work(unit, loaded.Task, token);
        }, cancellationToken);
    }

    private async Task<CommandResult<T>> InTransactionAsync<T>(Func<CaseUnit?>? unitOf, Func<CancellationToken, Task<CommandResult<T>>> work,
        CancellationToken cancellationToken)
    {
        CommandResult<T> result;
        // A failed save rolls the whole command back, so EF's savepoint around it (two more statements) would guard nothing.
        db.Database.AutoSavepointsEnabled = false;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            result = await work(cancellationToken);
            if (result.IsDone)
            {
                var wakeRelay = await SaveAndCommitDetectingChangesOnceAsync(transaction, cancellationToken);
                if (wakeRelay)
                {
                    signal.Notify();
                }

                return result;
            }

            await transaction.RollbackAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        if (unitOf?.Invoke() is { } refused && refused.AddRefusalAudits(audit))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Saves and commits, the commit riding in the save's batch (<see cref="SaveAndCommit"/>), and scans the tracked
    /// entities for changes once: the outbox's question, the save interceptors' (trace context, metrics) and the save
    /// itself would each scan them again, the biggest cost of a filing's .NET work in the profile.
    /// </summary>
    /// <returns>Whether the save wrote outbox messages, so the relay is to be woken after the commit.</returns>
    private async Task<bool> SaveAndCommitDetectingChangesOnceAsync(IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        db.ChangeTracker.DetectChanges();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var wakeRelay = outbox.HasUnsent;
            await db.SaveAndCommitAsync(transaction, cancellationToken);
            return wakeRelay;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }
}
