using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Observability;

/// <summary>
/// Counts the domain metrics from what is saved, in one place for every use case, consumer and the sweeper: a new
/// case, a new task, a task decided or breached, a timer fired, an outbox row published. A measurement counts only
/// once its transaction has committed, so a rolled-back filing or a decision lost to a conflict counts nothing.
/// </summary>
internal sealed class CommittedChangeMetrics : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private sealed class Pending
    {
        public List<Action> ThisSave { get; set; } = [];
        public List<Action> AwaitingCommit { get; } = [];
    }

    private readonly ConditionalWeakTable<DbContext, Pending> _pending = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context, wholeTransaction: false);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, wholeTransaction: false);
        return Task.CompletedTask;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        // Left over from a transaction that was abandoned without a rollback being seen.
        Forget(eventData.Context, wholeTransaction: true);
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, wholeTransaction: true);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Record(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context, wholeTransaction: true);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, wholeTransaction: true);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context, wholeTransaction: true);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, wholeTransaction: true);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is not null)
        {
            _pending.GetOrCreateValue(context).ThisSave = context.ChangeTracker.Entries().SelectMany(Measure).ToList();
        }
    }

    /// <summary>
    /// Without a transaction of the caller's the save itself committed, as did a batch that ended with the commit
    /// (<see cref="SaveAndCommit"/>); inside a transaction otherwise, the count waits for its commit.
    /// </summary>
    private void Saved(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending))
        {
            return;
        }

        pending.AwaitingCommit.AddRange(pending.ThisSave);
        pending.ThisSave = [];
        if (context.Database.CurrentTransaction is null || context is OneThingDbContext { BatchCommit: BatchCommit.Sent })
        {
            Record(context);
        }
    }

    private void Record(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending))
        {
            return;
        }

        var committed = pending.AwaitingCommit.ToList();
        pending.AwaitingCommit.Clear();
        foreach (var measure in committed)
        {
            measure();
        }
    }

    private void Forget(DbContext? context, bool wholeTransaction)
    {
        if (context is not null && _pending.TryGetValue(context, out var pending))
        {
            pending.ThisSave = [];
            if (wholeTransaction)
            {
                pending.AwaitingCommit.Clear();
            }
        }
    }

    private static IEnumerable<Action> Measure(EntityEntry entry) => entry.Entity switch
    {
        CaseRecord { } record when entry.State == EntityState.Added =>
            [() => DomainMetrics.CasesFiled.Add(1, new KeyValuePair<string, object?>(DomainMetrics.Workflow, record.WorkflowId))],
        CaseRecord { BreachedAt: not null } record when BecameSet(entry, nameof(CaseRecord.BreachedAt)) =>
            [() => DomainMetrics.CaseBreaches.Add(1, new KeyValuePair<string, object?>(DomainMetrics.Workflow, record.WorkflowId))],
        DepartmentTask { } task => MeasureTask(entry, task),
        DeadlineTimer { FiredAt: { } firedAt } timer when BecameSet(entry, nameof(DeadlineTimer.FiredAt)) =>
            [() => DomainMetrics.SweepDelay.Record(Math.Max(0, (firedAt - timer.DueAt).TotalSeconds),
                new KeyValuePair<string, object?>(DomainMetrics.TimerKind, timer.Kind))],
        OutboxMessage { PublishedAt: { } publishedAt } row when BecameSet(entry, nameof(OutboxMessage.PublishedAt)) =>
            [() => DomainMetrics.OutboxDelay.Record(Math.Max(0, (publishedAt - row.CreatedAt).TotalSeconds))],
        _ => [],
    };

    private static IEnumerable<Action> MeasureTask(EntityEntry entry, DepartmentTask task)
    {
        var department = new KeyValuePair<string, object?>(DomainMetrics.Department, task.Department);
        if (entry.State == EntityState.Added)
        {
            yield return () => DomainMetrics.TasksOpened.Add(1, department);
        }

        if (task.State is TaskState.Approved or TaskState.Rejected && Changed(entry, nameof(DepartmentTask.State)))
        {
            var decision = TaskStateNames.Of(task.State);
            yield return () => DomainMetrics.TasksDecided.Add(1, department, new KeyValuePair<string, object?>(DomainMetrics.Decision, decision));
        }

        if (task.BreachedAt is not null && BecameSet(entry, nameof(DepartmentTask.BreachedAt)))
        {
            yield return () => DomainMetrics.TaskBreaches.Add(1, department);
        }
    }

    private static bool Changed(EntityEntry entry, string property) =>
        entry.State == EntityState.Modified && entry.Property(property) is { IsModified: true } changed
        && !Equals(changed.OriginalValue, changed.CurrentValue);

    /// <summary>A nullable column that was empty and is now set (on a new row: set at all).</summary>
    private static bool BecameSet(EntityEntry entry, string property) =>
        entry.State == EntityState.Added || (Changed(entry, property) && entry.Property(property).OriginalValue is null);
}
