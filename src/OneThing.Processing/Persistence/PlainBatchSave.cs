using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace OneThing.Processing.Persistence;

/// <summary>
/// Writes a save's new and changed rows as one batch of plain INSERT and UPDATE statements, in place of EF's update
/// pipeline, which built column modifications, parameters and SQL for every row anew: half of what the API allocated
/// during filings, and a fifth of its CPU, in the profile (docs/benchmarks/about.md). The statements go through EF's
/// command pipeline (its connection, the caller's transaction, interceptors and diagnostics), so a save is still one
/// round trip, and the same for every case of a kind, which PostgreSQL prepares once.
/// </summary>
/// <remarks>
/// Only a save inside the caller's transaction, of rows added or changed (none deleted), of entity types mapped to one
/// table each; anything else goes to EF unchanged. Registered after the interceptors that read or stamp what is saved.
/// A failed statement surfaces as EF's would, a <see cref="DbUpdateException"/> around PostgreSQL's error, and a row
/// an UPDATE did not find as a <see cref="DbUpdateConcurrencyException"/>. When the caller saves to commit
/// (<see cref="SaveAndCommit"/>) the batch ends with COMMIT, which any of those failures keeps from running.
/// </remarks>
internal sealed partial class PlainBatchSave : SaveChangesInterceptor
{
    public static readonly PlainBatchSave Instance = new();

    private readonly ConcurrentDictionary<IModel, ModelPlan> _plans = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (result.HasResult || eventData.Context is not { } context || context.Database.CurrentTransaction is null)
        {
            return result;
        }

        var plan = _plans.GetOrAdd(context.Model, (model, sqlHelper) => new ModelPlan(model, sqlHelper), context.GetService<ISqlGenerationHelper>());
        var pending = new List<(EntityEntry Entry, TablePlan Table)>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Unchanged or EntityState.Detached:
                    continue;
                case EntityState.Added or EntityState.Modified when plan.TableOf(entry.Metadata) is { } table
                    && (entry.State == EntityState.Added ? table.Insertable : !KeyModified(entry)):
                    pending.Add((entry, table));
                    break;
                default:
                    return result;
            }
        }

        if (pending.Count == 0)
        {
            return result;
        }

        // Added rows first, principals before their dependents; changed rows after them, as they may point at new rows.
        // Within a table in the order they were added, as EF writes them: history is read back in the order of its ids.
        var ordered = pending.Select((row, index) => (row, index))
            .OrderBy(p => p.row.Entry.State == EntityState.Added ? 0 : 1).ThenBy(p => p.row.Table.Order).ThenBy(p => p.index)
            .Select(p => p.row).ToList();
        var commit = context is OneThingDbContext { BatchCommit: BatchCommit.Requested };
        await WriteAsync(context, ordered, commit, cancellationToken);
        if (commit)
        {
            ((OneThingDbContext)context).BatchCommit = BatchCommit.Sent;
        }

        context.ChangeTracker.AcceptAllChanges();
        return InterceptionResult<int>.SuppressWithResult(pending.Count);
    }

    /// <param name="commit">End the batch with COMMIT: the caller's transaction is then over when this returns.</param>
    private static async Task WriteAsync(DbContext context, List<(EntityEntry Entry, TablePlan Table)> pending, bool commit,
        CancellationToken cancellationToken)
    {
        // Built as EF's own commands are, not as raw SQL: raw SQL would be formatted once more and its ready-made
        // parameters cloned into the command, a third of what a save allocated (docs/benchmarks/about.md).
        var sql = context.GetService<IRelationalCommandBuilderFactory>().Create();
        var values = new RowValues(pending.Sum(row => row.Table.ColumnCount));
        foreach (var (entry, table) in pending)
        {
            if (entry.State == EntityState.Added)
            {
                table.AppendInsert(sql, values, entry);
            }
            else
            {
                table.AppendUpdate(sql, values, entry);
            }
        }

        if (commit)
        {
            sql.Append("COMMIT;\n");
        }

        sql.AddParameter(values);
        try
        {
            await using var reader = await context.ExecuteReaderAsync(sql.Build(), cancellationToken);
            var rows = reader.DbDataReader;
            for (var i = 0; i < pending.Count; i++)
            {
                var (entry, table) = pending[i];
                if ((i > 0 && !await rows.NextResultAsync(cancellationToken)) || !await rows.ReadAsync(cancellationToken))
                {
                    throw new DbUpdateConcurrencyException(
                        $"The {entry.Metadata.DisplayName()} row to update was not found: it was changed or deleted since it was read.");
                }

                if (entry.State == EntityState.Added && table.Identity is { } identity)
                {
                    var key = entry.Property(identity.Name);
                    key.CurrentValue = rows.GetFieldValue<long>(0);
                    key.IsTemporary = false;
                }
            }

            // The COMMIT's answer: a commit PostgreSQL refuses is an error here, not when the reader is disposed.
            while (await rows.NextResultAsync(cancellationToken))
            {
            }
        }
        // Only an UPDATE of this batch divides (AppendUpdate); its parameters are values, never arithmetic.
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DivisionByZero)
        {
            throw new DbUpdateConcurrencyException("A row to update was not found: it was changed or deleted since it was read.", ex);
        }
        catch (PostgresException ex)
        {
            throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", ex,
                pending.Select(p => p.Entry).ToList());
        }
    }

    private static bool KeyModified(EntityEntry entry) => entry.Metadata.FindPrimaryKey()!.Properties.Any(key => entry.Property(key.Name).IsModified);
}
