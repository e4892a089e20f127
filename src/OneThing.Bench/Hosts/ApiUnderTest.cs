using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication.BearerToken;
using OneThing.Api.Accounts;
using OneThing.Bench.Infrastructure.Processes;
using OneThing.Processing;

namespace OneThing.Bench.Hosts;

/// <summary>
/// The API the cases are filed with: the real host started as a child process from its published dll, as an operator
/// starts it (with its bus, relay and department consumers unless its role is api), or a service already running at a
/// URL. A process of its own, so what the runtime counts in it (CPU, allocations, memory) is the service's alone.
/// </summary>
public sealed class ApiUnderTest : IAsyncDisposable
{
    private const string ApiProject = "OneThing.Api";

    private ApiUnderTest(Uri baseAddress, ServiceProcess? process)
    {
        BaseAddress = baseAddress;
        Process = process;
    }

    public Uri BaseAddress { get; }

    /// <summary>Null for a service at a URL, which this tool neither started nor can restart.</summary>
    public ServiceProcess? Process { get; }

    public static ApiUnderTest Remote(Uri url) => new(url, null);

    /// <param name="settings">Environment on top of the benchmark's own, e.g. Hosting__Role and ConnectionStrings__RabbitMq.</param>
    public static async Task<ApiUnderTest> StartAsync(
        string connectionString, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string?>
        {
            [$"ConnectionStrings__{ProcessingExtensions.ConnectionStringName}"] = connectionString,
            // A benchmark is an automated test: it signs in with demo accounts, which exist only in Development and Testing;
            // Testing keeps everything else as in Production (no developer pages, no embedded database).
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["DOTNET_ENVIRONMENT"] = "Testing",
            [$"{AccountOptions.Section}__{nameof(AccountOptions.SeedDemoAccounts)}"] = "true",
            // At Information the host writes a line per request and per message; the console would be measured with them.
            ["Logging__MinimumLevel"] = "Warning",
            // Each reading of the runtime's counters must be of that moment, not a scrape cached a second ago.
            ["Telemetry__ScrapeCacheMilliseconds"] = "0",
            // MassTransit reports its usage to the vendor over the internet when the bus starts; a benchmark sends nothing out.
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var process = new ServiceProcess(ApiProject, environment, "bench-api", await PublishedHosts.DllAsync(ApiProject, cancellationToken));
        try
        {
            // Migrating a new database and seeding the accounts take a while on a loaded machine.
            await process.StartAndWaitUntilReadyAsync(TimeSpan.FromMinutes(3));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new ApiUnderTest(process.BaseAddress, process);
    }

    /// <summary>A client signed in as a demo account (seeded by the started host; a remote service must seed them).</summary>
    public async Task<HttpClient> CreateClientAsync(string userName, int connections, CancellationToken cancellationToken)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };
        using var response = await http.PostAsJsonAsync("/api/auth/login",
            new LoginRequest(userName, AccountOptions.DefaultDemoPassword), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            http.Dispose();
            throw new InvalidOperationException(
                $"Signing in as {userName} at {BaseAddress} failed ({(int)response.StatusCode}); does the service seed the demo accounts (Accounts__SeedDemoAccounts=true)?");
        }

        var token = await response.Content.ReadFromJsonAsync<AccessTokenResponse>(cancellationToken);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }
    }
}
