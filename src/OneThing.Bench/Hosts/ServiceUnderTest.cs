using System.Text;
using OneThing.Bench.Infrastructure.Processes;
using OneThing.Processing;
using OneThing.Processing.Hosting;
using OneThing.Processing.Messaging;
using RabbitMQ.Client;

namespace OneThing.Bench.Hosts;

/// <summary>
/// OneThing deployed as a <see cref="BusMode"/> says, on one database: the API as a process of its own, and on RabbitMQ
/// a private broker node, N OneThing.Worker processes and one OneThing.DepartmentAdapter process beside it.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    private const string AdapterProject = "OneThing.DepartmentAdapter";
    private const string WorkerProject = "OneThing.Worker";

    private readonly ApiUnderTest _api;
    private readonly RabbitMqServer? _broker;
    private readonly IReadOnlyList<ServiceProcess> _processes;

    private ServiceUnderTest(BusMode mode, ApiUnderTest api, RabbitMqServer? broker, IReadOnlyList<ServiceProcess> processes, string description)
    {
        Mode = mode;
        _api = api;
        _broker = broker;
        _processes = processes;
        Description = description;
    }

    public BusMode Mode { get; }

    /// <summary>What runs where, for the report.</summary>
    public string Description { get; }

    public Uri BaseAddress => _api.BaseAddress;

    public static async Task<ServiceUnderTest> StartAsync(BusMode mode, string connectionString, CancellationToken cancellationToken)
    {
        if (mode.Url is { } url)
        {
            return new ServiceUnderTest(mode, ApiUnderTest.Remote(url), null, [], url.ToString());
        }

        if (!mode.UsesRabbitMq)
        {
            return new ServiceUnderTest(mode, await ApiUnderTest.StartAsync(connectionString, new Dictionary<string, string?>(), cancellationToken), null, [],
                $"the real API host as one process ({PublishedHosts.Description}; Hosting:Role=all: bus, relay, consumers, simulated housing-fund system)");
        }

        var broker = new RabbitMqServer();
        ApiUnderTest? api = null;
        var processes = new List<ServiceProcess>();
        try
        {
            await broker.StartAsync(cancellationToken);
            var amqp = broker.AmqpUri.ToString();
            var version = await BrokerVersionAsync(broker, cancellationToken);
            // The API migrates the database and seeds the accounts before the workers start on it.
            api = await ApiUnderTest.StartAsync(connectionString, new Dictionary<string, string?>
            {
                [HostingRoles.Key.Replace(":", "__", StringComparison.Ordinal)] = "api",
                [$"ConnectionStrings__{RabbitMqConnection.Name}"] = amqp,
            }, cancellationToken);
            var workerDll = await PublishedHosts.DllAsync(WorkerProject, cancellationToken);
            for (var number = 1; number <= mode.Workers; number++)
            {
                processes.Add(new ServiceProcess(WorkerProject, WorkerEnvironment(connectionString, amqp), $"bench-worker-{number}", workerDll));
            }

            processes.Add(new ServiceProcess(AdapterProject, AdapterEnvironment(amqp), "bench-department-adapter",
                await PublishedHosts.DllAsync(AdapterProject, cancellationToken)));
            await Task.WhenAll(processes.Select(process => process.StartAndWaitUntilReadyAsync(TimeSpan.FromMinutes(2))));
            return new ServiceUnderTest(mode, api, broker, processes,
                $"API as a process (Hosting:Role=api); {mode.Workers} × {WorkerProject} and 1 × {AdapterProject} as processes " +
                $"({PublishedHosts.Description}); a private RabbitMQ {version} node on loopback");
        }
        catch
        {
            await StopAsync(api, processes, broker);
            throw;
        }
    }

    public Task<HttpClient> CreateClientAsync(string userName, int connections, CancellationToken cancellationToken) =>
        _api.CreateClientAsync(userName, connections, cancellationToken);

    /// <summary>Throws when a worker or the adapter died while it was measured: the numbers would not be of this mode.</summary>
    public void EnsureProcessesRunning()
    {
        if (_processes.FirstOrDefault(process => !process.IsRunning) is { } dead)
        {
            dead.KeepLog();
            throw new InvalidOperationException($"{dead.Name} exited during the run. Log: {dead.LogPath}\n{dead.ReadLogTail()}");
        }
    }

    /// <summary>
    /// What the service's own processes (API, workers, department adapter) have spent so far, by the runtime's counters,
    /// and their resident memory now; a service at a URL reports only what its /metrics says.
    /// </summary>
    public async Task<ServiceWork> ReadWorkAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var readings = new List<ServiceWork>
        {
            await ServiceWork.ReadAsync(http, _api.BaseAddress, _api.Process?.ProcessId, cancellationToken),
        };
        foreach (var process in _processes)
        {
            readings.Add(await ServiceWork.ReadAsync(http, process.BaseAddress, process.ProcessId, cancellationToken));
        }

        return ServiceWork.Sum(readings);
    }

    /// <summary>
    /// Stops the API and starts it again on the data the run left, timing from the start of the process to its first
    /// ready answer (the database already migrated, the workflows already registered); null for a service at a URL.
    /// </summary>
    public async Task<TimeSpan?> TimeColdStartAsync(CancellationToken cancellationToken)
    {
        if (_api.Process is not { } api)
        {
            return null;
        }

        await api.StopAsync();
        cancellationToken.ThrowIfCancellationRequested();
        var started = System.Diagnostics.Stopwatch.StartNew();
        await api.StartAndWaitUntilReadyAsync(TimeSpan.FromMinutes(2));
        return started.Elapsed;
    }

    public ValueTask DisposeAsync() => new(StopAsync(_api, _processes, _broker));

    private static async Task StopAsync(ApiUnderTest? api, IEnumerable<ServiceProcess> processes, RabbitMqServer? broker)
    {
        if (api is not null)
        {
            await api.DisposeAsync();
        }

        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        if (broker is not null)
        {
            await broker.DisposeAsync();
        }
    }

    /// <summary>As an operator would start a worker, with logs at Warning as the in-process API's.</summary>
    private static Dictionary<string, string?> WorkerEnvironment(string connectionString, string amqp) => new()
    {
        [$"ConnectionStrings__{ProcessingExtensions.ConnectionStringName}"] = connectionString,
        [$"ConnectionStrings__{RabbitMqConnection.Name}"] = amqp,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Logging__MinimumLevel"] = "Warning",
        ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
    };

    private static Dictionary<string, string?> AdapterEnvironment(string amqp) => new()
    {
        [$"ConnectionStrings__{RabbitMqConnection.Name}"] = amqp,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Logging__LogLevel__Default"] = "Warning",
        ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
    };

    private static async Task<string> BrokerVersionAsync(RabbitMqServer broker, CancellationToken cancellationToken)
    {
        await using var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync(cancellationToken);
        return connection.ServerProperties?.TryGetValue("version", out var version) == true && version is byte[] bytes
            ? Encoding.UTF8.GetString(bytes)
            : "(version unknown)";
    }
}
