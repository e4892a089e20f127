using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

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
internal sealed class PlainBatchSave : SaveChangesInterceptor
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

    /// <summary>Each table's statement shape, and the order in which new rows must be written for their foreign keys.</summary>
    private sealed class ModelPlan
    {
        private readonly Dictionary<IEntityType, TablePlan> _tables = [];

        public ModelPlan(IModel model, ISqlGenerationHelper sql)
        {
            var order = new Dictionary<IEntityType, int>();
            var visiting = new HashSet<IEntityType>();
            foreach (var type in model.GetEntityTypes())
            {
                Visit(type);
            }

            foreach (var (type, position) in order)
            {
                // Rows that may point at rows of their own table, or of a table in a cycle of foreign keys, need EF's ordering.
                var insertable = type.GetForeignKeys().All(fk => fk.PrincipalEntityType != type && order[fk.PrincipalEntityType] < position);
                if (TablePlan.For(type, sql, position, insertable) is { } table)
                {
                    _tables[type] = table;
                }
            }

            void Visit(IEntityType type)
            {
                if (order.ContainsKey(type) || !visiting.Add(type))
                {
                    return;
                }

                foreach (var fk in type.GetForeignKeys())
                {
                    Visit(fk.PrincipalEntityType);
                }

                visiting.Remove(type);
                order[type] = order.Count;
            }
        }

        public TablePlan? TableOf(IEntityType type) => _tables.GetValueOrDefault(type);
    }

    private sealed class TablePlan
    {
        private readonly string _table;
        private readonly IReadOnlyList<(IProperty Property, string Column, RelationalTypeMapping Mapping)> _columns;
        private readonly IReadOnlyList<(IProperty Property, string Column, RelationalTypeMapping Mapping)> _keys;
        private readonly string _insertHead;
        private readonly string _insertTail;

        private TablePlan(string table, int order, bool insertable, IProperty? identity, string returning,
            List<(IProperty, string, RelationalTypeMapping)> columns, List<(IProperty, string, RelationalTypeMapping)> keys)
        {
            _insertTail = $") RETURNING {returning};\n";
            _table = table;
            Order = order;
            Insertable = insertable;
            Identity = identity;
            _columns = columns;
            _keys = keys;
            _insertHead = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Item2))}) VALUES (";
        }

        public int Order { get; }

        /// <summary>The most values a row of this table sends: every column, or its changed columns and its key.</summary>
        public int ColumnCount => _columns.Count + _keys.Count;

        /// <summary>False for a table whose new rows would need EF's ordering (see <see cref="ModelPlan"/>).</summary>
        public bool Insertable { get; }

        /// <summary>The key PostgreSQL generates (an identity column), read back from the INSERT.</summary>
        public IProperty? Identity { get; }

        public static TablePlan? For(IEntityType type, ISqlGenerationHelper sql, int order, bool insertable)
        {
            if (type.IsOwned() || type.BaseType is not null || type.GetDirectlyDerivedTypes().Any() || type.GetComplexProperties().Any()
                || type.GetTableName() is not { } tableName || type.FindPrimaryKey() is not { } primaryKey)
            {
                return null;
            }

            var table = StoreObjectIdentifier.Table(tableName, type.GetSchema());
            IProperty? identity = null;
            var columns = new List<(IProperty, string, RelationalTypeMapping)>();
            foreach (var property in type.GetProperties())
            {
                if (property.GetColumnName(table) is not { } column || property.GetRelationalTypeMapping() is not { } mapping
                    || property.ValueGenerated.HasFlag(ValueGenerated.OnUpdate) || property.GetComputedColumnSql() is not null
                    || property.IsConcurrencyToken)
                {
                    return null;
                }

                if (property.ValueGenerated.HasFlag(ValueGenerated.OnAdd) && property.GetValueGenerationStrategy() != NpgsqlValueGenerationStrategy.None)
                {
                    if (identity is not null || !primaryKey.Properties.Contains(property) || property.ClrType != typeof(long))
                    {
                        return null;
                    }

                    identity = property;
                    continue;
                }

                if (property.GetDefaultValueSql() is not null || property.TryGetDefaultValue(out _))
                {
                    // EF leaves such a column out of the INSERT when the value is unset; this plan would write it.
                    return null;
                }

                columns.Add((property, sql.DelimitIdentifier(column), mapping));
            }

            var keys = primaryKey.Properties.Select(p => (p, sql.DelimitIdentifier(p.GetColumnName(table)!), p.GetRelationalTypeMapping())).ToList();
            var returning = identity is null ? "1" : sql.DelimitIdentifier(identity.GetColumnName(table)!);
            return new TablePlan(sql.DelimitIdentifier(tableName, type.GetSchema()), order, insertable, identity, returning, columns, keys);
        }

        public void AppendInsert(IRelationalCommandBuilder sql, RowValues parameters, EntityEntry entry)
        {
            var values = entry.CurrentValues;
            sql.Append(_insertHead);
            for (var i = 0; i < _columns.Count; i++)
            {
                var (property, _, mapping) = _columns[i];
                if (i > 0)
                {
                    sql.Append(", ");
                }

                sql.Append(parameters.Add(mapping, values[property], property.IsNullable));
            }

            sql.Append(_insertTail);
        }

        /// <summary>
        /// An UPDATE that fails in PostgreSQL when its row is gone (a division by zero over the rows it changed), so that
        /// nothing after it in the batch runs, a COMMIT ending the batch included: a row not found must not commit the rest.
        /// </summary>
        public void AppendUpdate(IRelationalCommandBuilder sql, RowValues parameters, EntityEntry entry)
        {
            var values = entry.CurrentValues;
            sql.Append("WITH updated AS (UPDATE ").Append(_table).Append(" SET ");
            var first = true;
            foreach (var (property, column, mapping) in _columns)
            {
                if (entry.Property(property.Name).IsModified)
                {
                    sql.Append(first ? "" : ", ").Append(column).Append(" = ").Append(parameters.Add(mapping, values[property], property.IsNullable));
                    first = false;
                }
            }

            if (first)
            {
                // Marked modified with nothing changed: the statement still proves the row is there, as EF's would.
                sql.Append(_keys[0].Column).Append(" = ").Append(_keys[0].Column);
            }

            sql.Append(" WHERE ");
            for (var i = 0; i < _keys.Count; i++)
            {
                var (property, column, mapping) = _keys[i];
                sql.Append(i == 0 ? "" : " AND ").Append(column).Append(" = ").Append(parameters.Add(mapping, entry.OriginalValues[property], nullable: false));
            }

            sql.Append(" RETURNING 1) SELECT 1 / count(*) FROM updated;\n");
        }
    }

    /// <summary>
    /// Every value of a batch as one command parameter to EF, which makes each PostgreSQL parameter once, as its type
    /// mapping would (value converter and PostgreSQL type), when it creates the command.
    /// </summary>
    private sealed class RowValues : IRelationalParameter
    {
        private static string[] _placeholders = [];

        private readonly List<(RelationalTypeMapping Mapping, object? Value, bool Nullable)> _values;

        /// <param name="capacity">How many values the batch will hold at most (an UPDATE sends only its changed columns).</param>
        public RowValues(int capacity) => _values = new(capacity);

        public string InvariantName => "plain batch values";

        /// <summary>Adds a value and returns its placeholder in the SQL.</summary>
        public string Add(RelationalTypeMapping mapping, object? value, bool nullable)
        {
            _values.Add((mapping, value, nullable));
            return Placeholder(_values.Count - 1);
        }

        public void AddDbParameter(DbCommand command, object? value) => AddDbParameter(command, parameterValues: null);

        public void AddDbParameter(DbCommand command, IReadOnlyDictionary<string, object?>? parameterValues)
        {
            for (var i = 0; i < _values.Count; i++)
            {
                var (mapping, value, nullable) = _values[i];
                command.Parameters.Add(mapping.CreateParameter(command, Placeholder(i), value, nullable, ParameterDirection.Input));
            }
        }

        /// <summary>"@p0", "@p1"…, made once for all batches: a filing has a few hundred.</summary>
        private static string Placeholder(int index)
        {
            var known = Volatile.Read(ref _placeholders);
            if (index < known.Length)
            {
                return known[index];
            }

            var grown = new string[Math.Max(index + 1, known.Length * 2)];
            known.CopyTo(grown);
            for (var i = known.Length; i < grown.Length; i++)
            {
                grown[i] = "@p" + i;
            }

            // Filled before it is published; two batches growing it at once each publish a complete copy.
            Volatile.Write(ref _placeholders, grown);
            return grown[index];
        }
    }
}
