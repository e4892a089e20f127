using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace OneThing.Web.Tests.Infrastructure;

/// <summary>
/// The real host (real PostgreSQL, real in-memory bus, the web UI) on a real Kestrel port, because a browser cannot reach
/// WebApplicationFactory's in-memory TestServer. Time comes from the test's clock; <paramref name="settings"/> and
/// <paramref name="services"/> go on top of the defaults, for a host that must behave differently (e.g. a failing channel).
/// </summary>
public sealed class BrowserHost : WebApplicationFactory<Program>
{
    private readonly string _connectionString;
    private readonly TimeProvider _clock;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public BrowserHost(string connectionString, TimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        _connectionString = connectionString;
        _clock = clock;
        _settings = settings ?? new Dictionary<string, string?>();
        _services = services;
        UseKestrel();
    }

    /// <summary>Where the browser goes, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("ConnectionStrings:OneThing", _connectionString);
        builder.UseSetting("Logging:MinimumLevel", "Warning");
        builder.UseSetting("Processing:OutboxPollInterval", "00:00:00.200");
        // Deadlines are read against the test clock when pages load; the sweeper's history entries are not needed here.
        builder.UseSetting("Deadlines:SweepInterval", "01:00:00");
        builder.UseSetting("Web:DashboardRefreshInterval", "00:00:01");
        builder.UseSetting("Accounts:SeedDemoAccounts", "true");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(_clock);
            // Cookies keep to the wall clock, or moving the business clock days ahead would sign everyone out.
            services.PostConfigureAll<CookieAuthenticationOptions>(options => options.TimeProvider = TimeProvider.System);
        });
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}
