using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Commands;

/// <summary>
/// The one way a command changes a case: open a transaction, lock the case (see <see cref="CaseLocks"/>), load its
/// workflow version from the cache, let the use case work, then write everything it added in one SaveChanges, commit
/// and wake the outbox relay. A refusal rolls back and leaves nothing tracked, except the audit rows it asked for.
/// </summary>
public sealed partial class CaseCommands(OneThingDbContext db, WorkflowRegistry workflows, AuditTrail audit, Outbox outbox, OutboxSignal signal,
    DeadlineScheduler deadlines)
{
    public delegate Task<CommandResult<T>> CaseWork<T>(CaseUnit unit, CancellationToken cancellationToken);

    public delegate Task<CommandResult<T>> TaskWork<T>(CaseUnit unit, DepartmentTask task, CancellationToken cancellationToken);

    public Task<CommandResult<T>> OnCaseAsync<T>(Guid caseId, CaseWork<T> work, CancellationToken cancellationToken) =>
        RunAsync(CaseLocks.ById(caseId), work, cancellationToken);

    /// <summary>
    /// Locks the case the task belongs to and hands both to the work. The task row is read after the lock, with its open
    /// timers in the same statement, so that ending the task cancels them in the command's batch.
    /// </summary>
    public Task<CommandResult<T>> OnTaskAsync<T>(Guid taskId, TaskWork<T> work, CancellationToken cancellationToken) =>
        RunAsync(CaseLocks.ByTask(taskId), async (unit, token) =>
        {
            var loaded = await db.DepartmentTasks
                .Where(t => t.Id == taskId)
                .Select(t => new
                {
                    Task = t,
                    OpenTimers = db.Timers.Where(timer => timer.TaskId == t.Id && timer.FiredAt == null && timer.CancelledAt == null).ToList(),
                })
                .SingleAsync(token);
            deadlines.TaskWithOpenTimersTracked = taskId;
            return await work(unit, loaded.Task, token);
        }, cancellationToken);

    public Task<CommandResult<T>> OnExtensionRequestAsync<T>(Guid requestId, CaseWork<T> work, CancellationToken cancellationToken) =>
        RunAsync(CaseLocks.ByExtensionRequest(requestId), work, cancellationToken);

    /// <summary>For a command that opens a case: nothing exists to lock yet.</summary>
    public Task<CommandResult<T>> NewCaseAsync<T>(Func<CancellationToken, Task<CommandResult<T>>> work, CancellationToken cancellationToken) =>
        InTransactionAsync(null, work, cancellationToken);

    private Task<CommandResult<T>> RunAsync<T>(FormattableString lockSql, CaseWork<T> work, CancellationToken cancellationToken)
    {
        CaseUnit? unit = null;
        deadlines.TaskWithOpenTimersTracked = null;
        return InTransactionAsync(() => unit, async token =>
        {
            var record = await db.Cases.FromSql(lockSql).SingleOrDefaultAsync(token);
            if (record is null)
            {
                return new Refusal.NotFound();
            }

            unit = new CaseUnit(record, await workflows.GetAsync(db, record.WorkflowId, record.WorkflowVersion, token));
            return await work(unit, token);
        }, cancellationToken);
    }

    private async Task<CommandResult<T>> InTransactionAsync<T>(Func<CaseUnit?>? unitOf, Func<CancellationToken, Task<CommandResult<T>>> work,
        CancellationToken cancellationToken)
    {
        CommandResult<T> result;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            result = await work(cancellationToken);
            if (result.IsDone)
            {
                var wakeRelay = outbox.HasUnsent;
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                if (wakeRelay)
                {
                    signal.Notify();
                }

                return result;
            }

            await transaction.RollbackAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        deadlines.TaskWithOpenTimersTracked = null;
        if (unitOf?.Invoke() is { } refused && refused.AddRefusalAudits(audit))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return result;
    }
}
