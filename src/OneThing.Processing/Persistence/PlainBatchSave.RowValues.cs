using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace OneThing.Processing.Persistence;

internal sealed partial class PlainBatchSave
{
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
