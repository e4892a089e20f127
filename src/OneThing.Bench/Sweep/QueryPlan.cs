using System.Text.RegularExpressions;
using Npgsql;
using OneThing.Processing.Deadlines;

namespace OneThing.Bench.Sweep;

/// <summary>What PostgreSQL does for the sweeper's own due-timer query, with the timers due as a sweep finds them.</summary>
public sealed partial record QueryPlan(string Text, bool UsesIndex, double ExecutionMs, string Buffers)
{
    public const string PendingDueIndex = "ix_timers_pending_due";

    /// <summary>Runs EXPLAIN ANALYZE a few times: the plan of the last run, with the median execution time.</summary>
    public static async Task<QueryPlan> ExplainDueTimersAsync(string connectionString, int batchSize, CancellationToken cancellationToken)
    {
        var runs = new List<QueryPlan>();
        for (var run = 0; run < 5; run++)
        {
            runs.Add(await ExplainOnceAsync(connectionString, batchSize, cancellationToken));
        }

        return runs[^1] with { ExecutionMs = Infrastructure.Stats.Median(runs.Select(r => r.ExecutionMs)) };
    }

    private static async Task<QueryPlan> ExplainOnceAsync(string connectionString, int batchSize, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var query = string.Format(DeadlineSweeper.DueTimersSql, "$1", "$2");
        await using var command = new NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS) {query}", connection)
        {
            Parameters = { new NpgsqlParameter { Value = TimeProvider.System.GetUtcNow() }, new NpgsqlParameter { Value = batchSize } },
        };
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                lines.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', lines);
        var execution = ExecutionTime().Match(text);
        var buffers = lines.FirstOrDefault(line => line.TrimStart().StartsWith("Buffers:", StringComparison.Ordinal))?.Trim()["Buffers:".Length..].Trim();
        return new QueryPlan(
            $"{query}\n\n{text}",
            text.Contains($"Index Scan using {PendingDueIndex}", StringComparison.Ordinal),
            execution.Success ? double.Parse(execution.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : double.NaN,
            buffers ?? "–");
    }

    [GeneratedRegex(@"Execution Time: ([0-9.]+) ms")]
    private static partial Regex ExecutionTime();
}
