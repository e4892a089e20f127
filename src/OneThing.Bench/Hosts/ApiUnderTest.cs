using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OneThing.Api.Accounts;

namespace OneThing.Bench.Hosts;

/// <summary>
/// The API the cases are filed with: the real host (the API's own Program; with its bus, relay and department
/// consumers unless its role is api) started in this process on Kestrel over loopback TCP, or a service already
/// running at a URL.
/// </summary>
public sealed class ApiUnderTest : IAsyncDisposable
{
    private readonly InProcessHost? _host;

    private ApiUnderTest(Uri baseAddress, InProcessHost? host)
    {
        BaseAddress = baseAddress;
        _host = host;
    }

    public Uri BaseAddress { get; }

    public bool InProcess => _host is not null;

    public static ApiUnderTest Remote(Uri url) => new(url, null);

    /// <param name="settings">Configuration on top of the benchmark's own, e.g. Hosting:Role and ConnectionStrings:RabbitMq.</param>
    public static ApiUnderTest StartInProcess(string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        // MassTransit 8.4 reports its usage to the vendor over the internet when the bus starts; a benchmark sends nothing out.
        Environment.SetEnvironmentVariable("MASSTRANSIT_USAGE_TELEMETRY", "false");
        var host = new InProcessHost(connectionString, settings);
        host.UseKestrel();
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiUnderTest(new Uri(address), host);
    }

    /// <summary>A client signed in as a demo account (seeded in the in-process host; a remote service must seed them).</summary>
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
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private sealed class InProcessHost(string connectionString, IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // A benchmark is an automated test: it signs in with demo accounts, which exist only in Development and Testing;
            // Testing keeps everything else as in Production (no developer pages, no embedded database).
            builder.UseEnvironment("Testing");
            builder.UseContentRoot(FindApiProject());
            builder.UseSetting("ConnectionStrings:OneThing", connectionString);
            builder.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
            builder.UseSetting($"{AccountOptions.Section}:{nameof(AccountOptions.SeedDemoAccounts)}", "true");
            // At Information the host writes a line per request and per message; the console would be measured with them.
            builder.UseSetting("Logging:MinimumLevel", "Warning");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }

        /// <summary>The API reads its appsettings.json from its project folder, as when it is started with dotnet run.</summary>
        private static string FindApiProject()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "src", "OneThing.Api");
                if (File.Exists(Path.Combine(candidate, "appsettings.json")))
                {
                    return candidate;
                }
            }

            throw new DirectoryNotFoundException($"src/OneThing.Api was not found above {AppContext.BaseDirectory}");
        }
    }
}
