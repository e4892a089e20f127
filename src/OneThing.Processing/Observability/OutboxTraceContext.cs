using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Observability;

/// <summary>
/// Every outbox row remembers the trace that wrote it (the request filing a case, the consumer taking an answer), so
/// that the relay, on whichever process, publishes its message inside that trace. Done as rows are saved rather than
/// where each is written, so no use case has to remember it.
/// </summary>
internal sealed class OutboxTraceContext : ISaveChangesInterceptor
{
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Stamp(DbContext? context)
    {
        if (context is null || Activity.Current is not { IdFormat: ActivityIdFormat.W3C, Id: { } traceParent })
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<OutboxMessage>().Where(e => e.State == EntityState.Added))
        {
            entry.Entity.TraceParent ??= traceParent;
        }
    }

    /// <summary>The trace a relayed row continues, or default when it was written outside any trace.</summary>
    public static ActivityContext ParentOf(OutboxMessage row) =>
        row.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent) ? parent : default;
}
