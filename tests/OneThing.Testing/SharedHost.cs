using Microsoft.Extensions.DependencyInjection;

namespace OneThing.Testing;

/// <summary>
/// One host on one database for all the tests of a class, as an xUnit class fixture (<c>IClassFixture&lt;SharedHost&gt;</c>
/// on a class of the collection that provides the <see cref="PostgresServer"/>): starting a host costs far more than a
/// test. Each test begins with <see cref="ResetAsync"/>, which gives it the data the host had just after start-up and
/// clients of its own. A class whose tests need other settings derives its own fixture.
/// </summary>
public class SharedHost : IAsyncLifetime
{
    private readonly PostgresServer _postgres;
    private readonly IReadOnlyDictionary<string, string?>? _settings;
    private readonly TimeProvider? _clock;
    private readonly Action<IServiceCollection>? _services;
    private OneThingHost? _host;
    private ApiClient? _api;

    public SharedHost(PostgresServer postgres)
        : this(postgres, settings: null)
    {
    }

    protected SharedHost(PostgresServer postgres, IReadOnlyDictionary<string, string?>? settings, TimeProvider? clock = null,
        Action<IServiceCollection>? services = null)
    {
        _postgres = postgres;
        _settings = settings;
        _clock = clock;
        _services = services;
    }

    public OneThingHost Host => _host ?? throw new InvalidOperationException("The shared host starts when xUnit initialises the fixture.");

    /// <summary>The current test's client, as <see cref="ResetAsync"/> returned it.</summary>
    public ApiClient Api => _api ?? throw new InvalidOperationException("A test gets its client from ResetAsync.");

    public async Task InitializeAsync()
    {
        _host = new OneThingHost(await _postgres.CreateDatabaseAsync(), _settings, _clock, _services);
        // Starts the host and copies what start-up seeded, before any test can change it.
        await _host.ResetDataAsync();
    }

    /// <summary>The start of a test: the data as start-up left it, and a client whose sign-ins are the test's own.</summary>
    public virtual async Task<ApiClient> ResetAsync()
    {
        await Host.ResetDataAsync();
        return _api = new ApiClient(Host);
    }

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
