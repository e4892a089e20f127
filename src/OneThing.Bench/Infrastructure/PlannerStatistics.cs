using Npgsql;

namespace OneThing.Bench.Infrastructure;

/// <summary>
/// Ends a warm-up the way a live system's first minute ends: with the planner's statistics taken on the rows written.
/// A database made for the run and filled within seconds still has the statistics of its empty tables, and autovacuum
/// looks again only after its nap (a minute by default). On those, PostgreSQL read a task's open timers through the
/// wrong partial index, every open timer each time: 2 ms a read, growing with the data (docs/benchmarks/about.md).
/// </summary>
public static class PlannerStatistics
{
    /// <param name="databases">Connection strings; an empty one (a service at a URL, whose database is not ours) is skipped.</param>
    public static async Task RefreshAsync(CancellationToken cancellationToken, params string[] databases)
    {
        foreach (var database in databases.Where(d => d.Length > 0))
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
