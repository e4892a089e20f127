using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace OneThing.Processing.Persistence;

internal sealed partial class PlainBatchSave
{
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
}
