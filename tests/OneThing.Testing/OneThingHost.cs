using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Processing.Persistence;

namespace OneThing.Testing;

/// <summary>The real API host (real PostgreSQL, real in-memory bus) on a database of its own.</summary>
public sealed class OneThingHost(
    string connectionString,
    IReadOnlyDictionary<string, string?>? settings = null,
    TimeProvider? clock = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public string ConnectionString { get; } = connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:OneThing", ConnectionString);
        builder.UseSetting("Logging:MinimumLevel", "Warning");
        builder.UseSetting("Processing:OutboxPollInterval", "00:00:00.200");
        builder.UseSetting("Accounts:SeedDemoAccounts", "true");
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IStartupFilter, LoopbackClientAddress>();
            // Every test signs in a few times; the production hashing cost (100,000 rounds) would dominate the suite.
            services.Configure<PasswordHasherOptions>(options => options.IterationCount = 1_000);
        });
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureServices(services);
        }

        if (clock is not null)
        {
            builder.ConfigureServices(services =>
            {
                services.AddSingleton(clock);
                // Tokens and cookies keep to the wall clock, or moving the business clock days ahead would sign everyone out.
                services.PostConfigureAll<BearerTokenOptions>(options => options.TimeProvider = TimeProvider.System);
                services.PostConfigureAll<CookieAuthenticationOptions>(options => options.TimeProvider = TimeProvider.System);
            });
        }
    }

    private readonly ConcurrentDictionary<string, Task<string>> _tokens = new();

    /// <summary>
    /// A client signed in as one of the demo accounts (see <see cref="Staff"/>), with a bearer token from
    /// POST /api/auth/login like any API client. Tokens are fetched once per host and account.
    /// </summary>
    public async Task<HttpClient> ClientForAsync(string userName)
    {
        var token = await _tokens.GetOrAdd(userName, SignInAsync);
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<string> SignInAsync(string userName)
    {
        var response = await CreateClient().PostAsJsonAsync("/api/auth/login", new { userName, password = Staff.DemoPassword });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Signing in as {userName} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// The data back as start-up left it (<see cref="StartUpData"/>); the tokens signed in so far are forgotten, since
    /// their refresh-token families went with the data. The first call, which starts the host, must come before any test.
    /// </summary>
    public async Task ResetDataAsync()
    {
        _tokens.Clear();
        await StartUpData.RestoreAsync(Services);
    }

    public async Task<T> WithDbAsync<T>(Func<OneThingDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<OneThingDbContext>());
    }
}
