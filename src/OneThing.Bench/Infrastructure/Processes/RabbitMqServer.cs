using System.Diagnostics;
using RabbitMQ.Client;

namespace OneThing.Bench.Infrastructure.Processes;

/// <summary>
/// A private RabbitMQ node started from Debian's rabbitmq-server on loopback ports of its own, with all its state in a
/// temp folder. It can be stopped and started again on the same ports and data, so durable queues and persistent
/// messages outlive a restart, as they would on a production broker.
/// </summary>
/// <remarks>
/// Debian's /usr/sbin/rabbitmq-server wrapper is bypassed: as root it switches to the rabbitmq user with su, which
/// resets HOME (the Erlang cookie) and logs to /var/log/rabbitmq; as anyone else it refuses. The script it wraps runs
/// as any user whose folders it can write, so the node runs as whoever runs the tests. epmd is started by the first
/// node that needs it and stays as a daemon.
/// <para>
/// Used by the benchmarks and the scaling tests alike. Not sealed and free of xunit: the tests' collection fixture
/// derives from it only to add xunit's IAsyncLifetime, which <see cref="InitializeAsync"/> and <see cref="DisposeAsync"/>
/// already fit.
/// </para>
/// </remarks>
public class RabbitMqServer : IAsyncDisposable
{
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public const string MissingServerMessage =
        "RabbitMQ was not found (" + ServerScript + " from Debian's rabbitmq-server package). "
        + ".ci/run installs it; on a developer machine run 'sudo apt-get install -y rabbitmq-server'.";

    private static int _instances;

    private readonly string _logDirectory;
    private readonly List<TimeSpan> _startDurations = [];
    private readonly CleanupIfRunDies _cleanup;
    private LoggedProcess? _process;

    public RabbitMqServer()
    {
        if (!File.Exists(ServerScript))
        {
            throw new InvalidOperationException(MissingServerMessage);
        }

        var instance = Interlocked.Increment(ref _instances);
        NodeName = instance == 1
            ? $"onething-test-{Environment.ProcessId}@localhost"
            : $"onething-test-{Environment.ProcessId}-{instance}@localhost";
        RootDirectory = Path.Combine(Path.GetTempPath(), $"onething-rabbitmq-{Guid.NewGuid():N}");
        _logDirectory = Path.Combine(RootDirectory, "log");
        AmqpPort = FreeTcpPort.Next();
        DistributionPort = FreeTcpPort.Next();
        // The node itself is ended by its launcher when the run dies (within about 25 s); its data would stay.
        _cleanup = new CleanupIfRunDies("sleep 25; rm -rf \"$1\"", RootDirectory);
    }

    public string NodeName { get; }

    public string RootDirectory { get; }

    public int AmqpPort { get; }

    public int DistributionPort { get; }

    /// <summary>The default guest account, which RabbitMQ lets in from loopback only; the empty path is the / vhost.</summary>
    public Uri AmqpUri => new($"amqp://guest:guest@127.0.0.1:{AmqpPort}/");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>From launching the node to its first accepted AMQP connection, for each start so far.</summary>
    public IReadOnlyList<TimeSpan> StartDurations => _startDurations;

    public string ServerLogPath => Path.Combine(_logDirectory, $"{NodeName}.log");

    public string StartupLogPath => Path.Combine(RootDirectory, "startup.log");

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the node (again, after a stop, on the same ports and data) and waits until it takes AMQP connections.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"RabbitMQ node {NodeName} is already running");
        }

        Directory.CreateDirectory(_logDirectory);
        WriteConfiguration();
        // A node killed a moment ago may still hold its ports while the kernel tears it down.
        await FreeTcpPort.WaitUntilFreeAsync([AmqpPort, DistributionPort], TimeSpan.FromSeconds(15));

        var stopwatch = Stopwatch.StartNew();
        _process?.Dispose();
        _process = LoggedProcess.Start(ServerScript, [], NodeEnvironment(), RootDirectory, StartupLogPath);
        try
        {
            await WaitUntilAcceptingAsync(TimeSpan.FromSeconds(90), cancellationToken);
        }
        catch
        {
            // A half-started node would hold the ports and the data folder's lock against the next attempt.
            _process.Kill();
            throw;
        }

        _startDurations.Add(stopwatch.Elapsed);
    }

    /// <summary>A clean shutdown (SIGTERM), which RabbitMQ turns into an orderly stop; the tree is killed if that hangs.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.TerminateAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>kill -9 of the node and everything it started: a crash. Confirmed persistent messages survive it.</summary>
    public void Kill() => _process?.Kill();

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            // The data is deleted next, so there is nothing to shut down cleanly for.
            _process.Kill();
            _process.Dispose();
            _process = null;
        }

        try
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process of the killed tree may still be closing a file.
            await Task.Delay(500);
            Directory.Delete(RootDirectory, recursive: true);
        }

        _cleanup.Dispose();
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public string ReadLogTail(int lines = 40)
    {
        var serverLog = File.Exists(ServerLogPath) ? string.Join('\n', File.ReadLines(ServerLogPath).TakeLast(lines)) : "(no server log yet)";
        return $"{StartupLogPath}:\n{_process?.ReadLogTail(lines)}\n{ServerLogPath}:\n{serverLog}";
    }

    private Dictionary<string, string?> NodeEnvironment() => new()
    {
        // The Erlang cookie is created in HOME; a private one keeps the node away from any other node's.
        ["HOME"] = RootDirectory,
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(),
        ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(RootDirectory, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = _logDirectory,
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(RootDirectory, "enabled_plugins"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(RootDirectory, "rabbitmq.conf"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(RootDirectory, "advanced.config"),
        // Left unset, /etc/rabbitmq/rabbitmq-env.conf would be read, with whatever a machine's own broker put there.
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(RootDirectory, "rabbitmq-env.conf"),
        // Erlang distribution only on loopback; an epmd started by this node listens on loopback only as well.
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_ALLOW_INPUT"] = null,
    };

    private void WriteConfiguration()
    {
        File.WriteAllText(Path.Combine(RootDirectory, "enabled_plugins"), "[].\n");
        File.WriteAllText(Path.Combine(RootDirectory, "rabbitmq-env.conf"), "");
        File.WriteAllText(Path.Combine(RootDirectory, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{AmqpPort}
            log.console = false
            log.file.level = info
            """);
    }

    private async Task WaitUntilAcceptingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var factory = new ConnectionFactory { Uri = AmqpUri, RequestedConnectionTimeout = TimeSpan.FromSeconds(2), AutomaticRecoveryEnabled = false };
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ node {NodeName} exited with code {_process.ExitCode} while starting.\n{ReadLogTail()}");
            }

            try
            {
                await using var connection = await factory.CreateConnectionAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException or TimeoutException)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException(
                        $"RabbitMQ node {NodeName} did not accept AMQP connections on port {AmqpPort} within {timeout.TotalSeconds:0} s.\n{ReadLogTail()}",
                        exception);
                }
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
