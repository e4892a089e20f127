using OneThing.Hosting.Development;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OneThing.Processing.Hosting;

namespace OneThing.Bench.Infrastructure;

/// <summary>
/// The PostgreSQL server the benchmarks make their throwaway databases on: a private cluster started from the
/// installed binaries (the same code the service uses for its embedded database), or an existing server.
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;
    private readonly string _serverConnectionString;

    private BenchServer(string serverConnectionString, EmbeddedPostgres? embedded)
    {
        _serverConnectionString = serverConnectionString;
        _embedded = embedded;
    }

    /// <summary>Where pgbench is: next to the server binaries the embedded cluster would use.</summary>
    public static string PgbenchPath =>
        Path.Combine(EmbeddedPostgres.FindBinDirectory() ?? throw new InvalidOperationException(EmbeddedPostgres.MissingBinariesMessage), "pgbench");

    /// <param name="connection">An existing server (any database on it; the user needs CREATEDB), or null for a private cluster.</param>
    public static async Task<BenchServer> StartAsync(string? connection, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(connection))
        {
            return new BenchServer(connection, null);
        }

        var root = Path.Combine(Path.GetTempPath(), $"onething-bench-{Guid.NewGuid():N}");
        var embedded = new EmbeddedPostgres(root, "postgres");
        await embedded.StartAsync(NullLogger.Instance, cancellationToken);
        var server = new BenchServer(embedded.ConnectionString, embedded);
        // A million open tasks are gigabytes of WAL; with the default 1 GB between checkpoints the load would spend much
        // of its time in checkpoints and full-page images. Only this throwaway cluster is changed.
        await server.ExecuteOnServerAsync("ALTER SYSTEM SET max_wal_size = '8GB'", cancellationToken);
        await server.ExecuteOnServerAsync("SELECT pg_reload_conf()", cancellationToken);
        return server;
    }

    /// <summary>A fresh, empty database; one left by an earlier run of the same name is dropped first.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await DropDatabaseAsync(name, cancellationToken);
        await ExecuteOnServerAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        return new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = name }.ConnectionString;
    }

    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        return ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is null)
        {
            return;
        }

        await _embedded.StopAsync(NullLogger.Instance, CancellationToken.None);
        Directory.Delete(_embedded.RootDirectory, recursive: true);
    }

    private async Task ExecuteOnServerAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
