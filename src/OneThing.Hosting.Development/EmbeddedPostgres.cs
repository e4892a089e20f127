using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

using OneThing.Processing.Hosting;

namespace OneThing.Hosting.Development;

/// <summary>
/// A private PostgreSQL cluster started from the server binaries installed on the machine. It listens on a unix
/// socket in a directory only its owner can enter, so no TCP port can clash and no other local user can connect.
/// </summary>
public sealed class EmbeddedPostgres : ILocalDatabaseServer, IAsyncDisposable
{
    private const string SuperUser = "onething";
    private const string OsUserWhenRoot = "postgres";

    private readonly string _dataDirectory;
    private readonly string _socketDirectory;
    private readonly string _binDirectory;
    private bool _startedByUs;

    public EmbeddedPostgres(string rootDirectory, string databaseName, string? binDirectory = null)
    {
        RootDirectory = Path.GetFullPath(rootDirectory);
        DatabaseName = databaseName;
        _dataDirectory = Path.Combine(RootDirectory, "data");
        _socketDirectory = Path.Combine(RootDirectory, "run");
        _binDirectory = binDirectory ?? FindBinDirectory()
            ?? throw new InvalidOperationException(MissingBinariesMessage);
    }

    public const string MissingBinariesMessage =
        "PostgreSQL server binaries were not found (looked for initdb and pg_ctl under /usr/lib/postgresql/*/bin, "
        + "$ONETHING_PG_BIN and PATH). Install them with 'sudo apt-get install -y postgresql' "
        + "or point the service at an existing database with ConnectionStrings__OneThing.";

    public string RootDirectory { get; }

    public string DatabaseName { get; }

    public string ConnectionString => BuildConnectionString(DatabaseName);

    public static string? FindBinDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("ONETHING_PG_BIN");
        if (!string.IsNullOrWhiteSpace(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "pg_ctl")))
        {
            return fromEnvironment;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
    }

    public async Task StartAsync(ILogger logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(RootDirectory);
        if (!File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            await InitialiseClusterAsync(logger, cancellationToken);
        }

        Directory.CreateDirectory(_socketDirectory);
        await HandOverToServerUserAsync(_socketDirectory, cancellationToken);

        if (await IsRunningAsync(cancellationToken))
        {
            // Left by a run that was killed, or in use by another instance: use it, and leave it running when we stop.
            logger.LogInformation("Embedded PostgreSQL in {DataDirectory} is already running; reusing it and leaving it running", _dataDirectory);
        }
        else
        {
            var options = $"-c listen_addresses='' -c unix_socket_directories='{_socketDirectory}' -c fsync=on -c max_connections=200";
            await RunAsServerUserAsync("pg_ctl",
                ["-D", _dataDirectory, "-l", Path.Combine(RootDirectory, "postgres.log"), "-w", "-t", "60", "-o", options, "start"],
                cancellationToken);
            _startedByUs = true;
            logger.LogInformation("Embedded PostgreSQL started from {DataDirectory}", _dataDirectory);
        }

        await EnsureDatabaseAsync(cancellationToken);
    }

    /// <param name="discard">True for a cluster about to be deleted: stop at once, without the shutdown checkpoint.</param>
    Task ILocalDatabaseServer.StopAsync(ILogger logger, CancellationToken cancellationToken) => StopAsync(logger, cancellationToken);

    public async Task StopAsync(ILogger logger, CancellationToken cancellationToken, bool discard = false)
    {
        if (!_startedByUs)
        {
            return;
        }

        _startedByUs = false;
        NpgsqlConnection.ClearAllPools();
        // Ctrl+C in a terminal reaches the server too, which then shuts itself down: nothing left to stop.
        if (!await IsRunningAsync(cancellationToken))
        {
            logger.LogInformation("Embedded PostgreSQL has already stopped");
            return;
        }

        var (exitCode, output) = await RunAsync(
            ServerCommand("pg_ctl", ["-D", _dataDirectory, "-m", discard ? "immediate" : "fast", "-w", "-t", "120", "stop"]), cancellationToken);
        if (exitCode != 0 && !discard && await IsRunningAsync(cancellationToken))
        {
            // A checkpoint that cannot finish in time (a loaded machine) must not leave the server running.
            logger.LogWarning("Embedded PostgreSQL did not stop in time ({Output}); stopping it immediately", output.Trim());
            (exitCode, output) = await RunAsync(ServerCommand("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"]), cancellationToken);
        }

        if (exitCode != 0 && await IsRunningAsync(cancellationToken))
        {
            throw new InvalidOperationException($"pg_ctl stop failed with exit code {exitCode}: {output}");
        }

        logger.LogInformation("Embedded PostgreSQL stopped");
    }

    public async ValueTask DisposeAsync() => await StopAsync(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);

    private string BuildConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = _socketDirectory,
        Username = SuperUser,
        Database = database,
        Pooling = true,
        MaxPoolSize = 50,
    }.ConnectionString;

    private async Task InitialiseClusterAsync(ILogger logger, CancellationToken cancellationToken)
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }

        Directory.CreateDirectory(_dataDirectory);
        await HandOverToServerUserAsync(RootDirectory, cancellationToken);
        logger.LogInformation("Initialising embedded PostgreSQL cluster in {DataDirectory}", _dataDirectory);
        // Trust is safe here only because the server accepts no TCP connections and its socket directory is private.
        await RunAsServerUserAsync("initdb",
            ["-D", _dataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
            cancellationToken);
    }

    private async Task EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(BuildConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = DatabaseName } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task<bool> IsRunningAsync(CancellationToken cancellationToken)
    {
        var (exitCode, _) = await RunAsync(ServerCommand("pg_ctl", ["-D", _dataDirectory, "status"]), cancellationToken);
        return exitCode == 0;
    }

    private static bool RunningAsRoot => Environment.UserName == "root";

    private static async Task HandOverToServerUserAsync(string path, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (RunningAsRoot)
        {
            // PostgreSQL refuses to run as root, so the cluster belongs to the postgres system user.
            var (exitCode, output) = await RunAsync(("chown", ["-R", $"{OsUserWhenRoot}:{OsUserWhenRoot}", path]), cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"Could not give {path} to the '{OsUserWhenRoot}' user: {output}");
            }
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private (string FileName, string[] Arguments) ServerCommand(string tool, string[] arguments)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return RunningAsRoot
            ? ("runuser", ["-u", OsUserWhenRoot, "--", executable, .. arguments])
            : (executable, arguments);
    }

    private async Task RunAsServerUserAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(ServerCommand(tool, arguments), cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed with exit code {exitCode}: {output}");
        }
    }

    private static Task<(int ExitCode, string Output)> RunAsync((string FileName, string[] Arguments) command, CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync(command.FileName, command.Arguments, cancellationToken);
}
