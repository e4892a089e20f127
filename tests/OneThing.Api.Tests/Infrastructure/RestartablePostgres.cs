using OneThing.Hosting.Development;
using Microsoft.Extensions.Logging.Abstractions;
using OneThing.Bench.Infrastructure.Processes;
using OneThing.Processing.Hosting;

namespace OneThing.Api.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of its own for one fault test, which can be stopped and started again on the same data folder
/// without disturbing the cluster the other tests share. It listens on a unix socket only; child processes connect to
/// it through the socket folder named in <see cref="ConnectionString"/>.
/// </summary>
public sealed class RestartablePostgres : IAsyncLifetime, IAsyncDisposable
{
    private const string StopAndDeleteCluster =
        "if [ \"$(id -u)\" = 0 ]; then runuser -u postgres -- \"$1\" -D \"$2/data\" -m immediate stop; "
        + "else \"$1\" -D \"$2/data\" -m immediate stop; fi; rm -rf \"$2\"";

    private readonly EmbeddedPostgres _embedded;
    private readonly CleanupIfRunDies _cleanup;
    private bool _running;

    public RestartablePostgres(string databaseName = "onething")
    {
        _embedded = new EmbeddedPostgres(Path.Combine(Path.GetTempPath(), $"onething-restartable-pg-{Guid.NewGuid():N}"), databaseName);
        // pg_ctl daemonises the server, so nothing else would stop it if the run died. EmbeddedPostgres keeps the
        // cluster in data/ and, under root, runs it as the postgres user.
        var binDirectory = EmbeddedPostgres.FindBinDirectory() ?? throw new InvalidOperationException(EmbeddedPostgres.MissingBinariesMessage);
        _cleanup = new CleanupIfRunDies(StopAndDeleteCluster, Path.Combine(binDirectory, "pg_ctl"), RootDirectory);
    }

    /// <summary>Stays the same across restarts: the socket folder and the database do not move.</summary>
    public string ConnectionString => _embedded.ConnectionString;

    public string RootDirectory => _embedded.RootDirectory;

    public string ServerLogPath => Path.Combine(RootDirectory, "postgres.log");

    public bool IsRunning => _running;

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the cluster, creating it and the database the first time.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _embedded.StartAsync(NullLogger.Instance, cancellationToken);
        _running = true;
    }

    /// <param name="immediately">
    /// True to stop without a shutdown checkpoint, as after a crash: the next start replays the WAL. False for a fast
    /// shutdown. Either way clients are disconnected at once.
    /// </param>
    public async Task StopAsync(bool immediately = false, CancellationToken cancellationToken = default)
    {
        _running = false;
        await _embedded.StopAsync(NullLogger.Instance, cancellationToken, discard: immediately);
    }

    public async Task DisposeAsync()
    {
        if (_running)
        {
            await StopAsync(immediately: true);
        }

        if (Directory.Exists(RootDirectory))
        {
            Directory.Delete(RootDirectory, recursive: true);
        }

        _cleanup.Dispose();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());
}
