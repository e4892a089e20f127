using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Tests;

/// <summary>Several API nodes on one PostgreSQL, as behind a load balancer: one sign-in, one rate limit, real client addresses.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class MultiNodeTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Proxy = "10.0.0.5";
    private const string ProxyInKnownNetwork = "10.1.2.3";
    private readonly List<string> _keyDirectories = [];
    private readonly List<OneThingHost> _hosts = [];
    private static int _lookUps;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        foreach (var directory in _keyDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_token_issued_by_one_node_is_accepted_by_another()
    {
        var database = await postgres.CreateDatabaseAsync();
        var nodeA = NodeWithFallbackKeyRingOfItsOwn(database);
        var nodeB = NodeWithFallbackKeyRingOfItsOwn(database);

        var login = await nodeA.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName = Staff.Supervisor, password = Staff.DemoPassword });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var onB = nodeB.CreateClient();
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await onB.GetAsync("/api/auth/me");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(Staff.Supervisor, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userName").GetString());
        await using var scope = nodeA.Services.CreateAsyncScope();
        var storedKeys = await scope.ServiceProvider.GetRequiredService<OneThingDbContext>().DataProtectionKeys
            .CountAsync(k => k.Xml != null && k.Xml.Contains("<key "));
        Assert.True(storedKeys >= 1, "the key ring lives in data_protection_keys");
    }

    [Fact]
    public async Task Nodes_starting_together_on_a_new_database_agree_on_one_key()
    {
        var database = await postgres.CreateDatabaseAsync();
        var nodes = Enumerable.Range(0, 3).Select(_ => NodeWithFallbackKeyRingOfItsOwn(database)).ToList();

        await Task.WhenAll(nodes.Select(node => Task.Run(() => node.Server)));

        await using var scope = nodes[0].Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<OneThingDbContext>().DataProtectionKeys.CountAsync());
    }

    [Fact]
    public async Task A_cookie_issued_by_one_node_is_accepted_by_another()
    {
        var database = await postgres.CreateDatabaseAsync();
        var nodeA = NodeWithFallbackKeyRingOfItsOwn(database);
        var nodeB = NodeWithFallbackKeyRingOfItsOwn(database);

        var login = await nodeA.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false })
            .PostAsJsonAsync("/api/auth/login?useCookies=true", new { userName = Staff.Clerk, password = Staff.DemoPassword });
        var session = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("onething.session=", StringComparison.Ordinal));
        var onB = nodeB.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        onB.DefaultRequestHeaders.Add("Cookie", session.Split(';')[0]);
        var me = await onB.GetAsync("/api/auth/me");

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(Staff.Clerk, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userName").GetString());
    }

    [Fact]
    public async Task The_public_rate_limit_counts_requests_to_both_nodes_together()
    {
        var database = await postgres.CreateDatabaseAsync();
        var limit = new Dictionary<string, string?> { ["PublicApi:PermitsPerMinute"] = "3" };
        var nodeA = Track(new OneThingHost(database, limit)).CreateClient();
        var nodeB = Track(new OneThingHost(database, limit)).CreateClient();

        var answers = new List<HttpResponseMessage>();
        foreach (var node in new[] { nodeA, nodeB, nodeA, nodeB })
        {
            answers.Add(await node.GetAsync($"/api/public/cases/YJS-20990101-{answers.Count:000000}?phoneLast4=1234"));
        }

        Assert.All(answers.Take(3), a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
        var refused = answers[^1];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Contains("查询过于频繁", (await ApiClient.ProblemAsync(refused)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_client_gets_its_own_quota_and_other_senders_cannot_choose_theirs()
    {
        var host = Track(new OneThingHost(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["PublicApi:PermitsPerMinute"] = "3",
            ["ForwardedHeaders:KnownProxies:0"] = Proxy,
            ["ForwardedHeaders:KnownNetworks:0"] = "10.1.0.0/16",
        }));

        var clientOne = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            clientOne.Add(await LookUpAsync(host, from: Proxy, forwardedFor: "203.0.113.1"));
        }

        // nginx appends the address it saw to whatever the client sent: the client's own part must not count.
        clientOne.Add(await LookUpAsync(host, from: Proxy, forwardedFor: "192.0.2.99, 203.0.113.1"));
        // The quota follows the client, whichever proxy it comes through.
        clientOne.Add(await LookUpAsync(host, from: ProxyInKnownNetwork, forwardedFor: "203.0.113.1"));
        var clientTwo = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            clientTwo.Add(await LookUpAsync(host, from: Proxy, forwardedFor: "203.0.113.2"));
        }

        var notAProxy = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            notAProxy.Add(await LookUpAsync(host, from: "198.51.100.7", forwardedFor: $"192.0.2.{i + 1}"));
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            clientOne);
        Assert.All(clientTwo, status => Assert.Equal(HttpStatusCode.NotFound, status));
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], notAProxy);
        var partitions = await host.WithDbAsync(db =>
            db.Database.SqlQueryRaw<string>("SELECT partition_key AS \"Value\" FROM rate_limit_windows").ToListAsync());
        Assert.Equal(3, partitions.Count);
        Assert.DoesNotContain(partitions, key => key.Contains("203.0.113", StringComparison.Ordinal) || key.Contains("198.51", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_known_proxies_forwarded_headers_are_ignored_even_from_loopback()
    {
        var host = Track(new OneThingHost(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["PublicApi:PermitsPerMinute"] = "3" }));

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await LookUpAsync(host, from: "127.0.0.1", forwardedFor: $"203.0.113.{i + 1}"));
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], answers);
    }

    /// <summary>
    /// Two in-process hosts would otherwise share the machine's default key ring (~/.aspnet/DataProtection-Keys) and
    /// accept each other's tokens whatever the application configures. Each node gets a folder of its own, used only
    /// where the application names no key store: only the key ring in PostgreSQL can make the nodes agree.
    /// </summary>
    private WebApplicationFactory<Program> NodeWithFallbackKeyRingOfItsOwn(string database)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"onething-keys-{Guid.NewGuid():N}");
        _keyDirectories.Add(directory);
        return Track(new OneThingHost(database)).WithWebHostBuilder(builder => builder.ConfigureServices(services =>
            services.Configure<KeyManagementOptions>(options =>
                options.XmlRepository ??= new FileSystemXmlRepository(new DirectoryInfo(directory), NullLoggerFactory.Instance))));
    }

    private OneThingHost Track(OneThingHost host)
    {
        _hosts.Add(host);
        return host;
    }

    /// <summary>
    /// A look-up of a case that does not exist (404 while under the limit), arriving from the given address; each of
    /// another case number, so that only the per-address limit is at work and not the per-case-number lock.
    /// </summary>
    private static async Task<HttpStatusCode> LookUpAsync(OneThingHost host, string from, string forwardedFor)
    {
        var caseNumber = $"YJS-20990101-{Interlocked.Increment(ref _lookUps):000000}";
        var answer = await host.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Get;
            http.Request.Path = $"/api/public/cases/{caseNumber}";
            http.Request.QueryString = new QueryString("?phoneLast4=1234");
            http.Request.Headers["X-Forwarded-For"] = forwardedFor;
            http.Connection.RemoteIpAddress = IPAddress.Parse(from);
        });
        return (HttpStatusCode)answer.Response.StatusCode;
    }
}
