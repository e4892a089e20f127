using OneThing.Hosting.Development;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OneThing.Processing.Hosting;

namespace OneThing.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run, started from the installed binaries; each test class or
/// restart scenario gets a database of its own in it. With ONETHING_TEST_DB set, databases are made on that server.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private EmbeddedPostgres? _embedded;
    private string _serverConnectionString = "";
    private int _databases;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("ONETHING_TEST_DB");
        if (!string.IsNullOrWhiteSpace(external))
        {
            _serverConnectionString = external;
            return;
        }

        var root = Path.Combine(Path.GetTempPath(), $"onething-tests-{Guid.NewGuid():N}");
        _embedded = new EmbeddedPostgres(root, "postgres");
        await _embedded.StartAsync(NullLogger.Instance, CancellationToken.None);
        _serverConnectionString = _embedded.ConnectionString;
    }

    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"onething_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_embedded is null)
        {
            return;
        }

        // The cluster is deleted next: writing a shutdown checkpoint of every test database would only cost time
        // (over a minute on a busy machine, when pg_ctl gives up).
        await _embedded.StopAsync(NullLogger.Instance, CancellationToken.None, discard: true);
        Directory.Delete(_embedded.RootDirectory, recursive: true);
    }
}
