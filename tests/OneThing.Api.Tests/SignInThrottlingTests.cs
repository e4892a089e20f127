using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class SignInThrottlingTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Proxy = "10.1.0.1";
    private readonly List<OneThingHost> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Failures_from_one_address_throttle_that_address_on_every_node_with_a_growing_wait_and_never_lock_the_account()
    {
        var database = await postgres.CreateDatabaseAsync();
        var fastBackOff = new Dictionary<string, string?> { ["Accounts:SignInBackOff"] = "00:00:01" };
        var nodeA = Track(new OneThingHost(database, fastBackOff));
        var nodeB = Track(new OneThingHost(database, fastBackOff));

        var guesses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            guesses.Add((await LoginAsync(attempt % 2 == 0 ? nodeA : nodeB, "203.0.113.10", Staff.Supervisor, $"guess-{attempt}")).StatusCode);
        }

        var rightPasswordWhileThrottled = await LoginAsync(nodeB, "203.0.113.10", Staff.Supervisor, Staff.DemoPassword);
        var fromAnotherAddress = await LoginAsync(nodeA, "203.0.113.11", Staff.Supervisor, Staff.DemoPassword);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var guessAfterTheWait = await LoginAsync(nodeA, "203.0.113.10", Staff.Supervisor, "guess-6");
        var throttledAgain = await LoginAsync(nodeB, "203.0.113.10", Staff.Supervisor, Staff.DemoPassword);

        Assert.All(guesses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightPasswordWhileThrottled.StatusCode);
        Assert.Equal("application/problem+json", rightPasswordWhileThrottled.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, rightPasswordWhileThrottled.Headers.RetryAfter?.Delta?.TotalSeconds);
        Assert.Contains("登录失败次数过多", (await ApiClient.ProblemAsync(rightPasswordWhileThrottled)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, fromAnotherAddress.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, guessAfterTheWait.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttledAgain.StatusCode);
        Assert.Equal(2, throttledAgain.Headers.RetryAfter?.Delta?.TotalSeconds);
        var supervisor = (await new ApiClient(nodeA).As(Staff.Admin).GetFromJsonAsync<JsonElement>("/api/accounts")).EnumerateArray()
            .Single(a => a.GetProperty("userName").GetString() == Staff.Supervisor);
        Assert.Equal(JsonValueKind.Null, supervisor.GetProperty("lockedOutUntil").ValueKind);
    }

    [Fact]
    public async Task Failures_from_several_addresses_lock_the_account_and_tell_the_admins_until_one_unlocks_it()
    {
        var host = Track(new OneThingHost(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = Proxy,
        }));
        foreach (var client in new[] { "198.51.100.1", "198.51.100.2", "198.51.100.3" })
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(host, client, Staff.Clerk, $"guess-{attempt}", viaProxy: true)).StatusCode);
            }
        }

        var rightPassword = await LoginAsync(host, "198.51.100.4", Staff.Clerk, Staff.DemoPassword, viaProxy: true);
        var wrongPassword = await LoginAsync(host, "198.51.100.5", Staff.Clerk, "guess-again", viaProxy: true);
        var admin = new ApiClient(host).As(Staff.Admin);
        var locks = (await admin.GetFromJsonAsync<JsonElement>("/api/audit?action=account-locked")).GetProperty("items");
        var clerk = (await admin.GetFromJsonAsync<JsonElement>("/api/accounts")).EnumerateArray()
            .Single(a => a.GetProperty("userName").GetString() == Staff.Clerk);
        var unlock = await admin.PostAsync($"/api/accounts/{Staff.Clerk}/unlock", null);
        var afterUnlock = await LoginAsync(host, "198.51.100.4", Staff.Clerk, Staff.DemoPassword, viaProxy: true);

        Assert.Equal(HttpStatusCode.Unauthorized, rightPassword.StatusCode);
        Assert.Contains("locked", (await ApiClient.ProblemAsync(rightPassword)).GetProperty("detail").GetString());
        // Without the password, a locked account looks like any other wrong guess.
        Assert.Contains("Wrong user name or password", (await ApiClient.ProblemAsync(wrongPassword)).GetProperty("detail").GetString());
        var lockEntry = Assert.Single(locks.EnumerateArray());
        Assert.Equal(Staff.Clerk, lockEntry.GetProperty("targetId").GetString());
        Assert.Contains("from 3 addresses", lockEntry.GetProperty("detail").GetString());
        Assert.NotEqual(JsonValueKind.Null, clerk.GetProperty("lockedOutUntil").ValueKind);
        Assert.Equal(HttpStatusCode.NoContent, unlock.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterUnlock.StatusCode);
    }

    [Fact]
    public async Task An_unknown_name_costs_as_much_as_a_known_one_gets_the_same_answer_and_is_audited_only_as_a_hash()
    {
        // The production hashing cost, so that skipping the hash for unknown names would show.
        var host = Track(new OneThingHost(await postgres.CreateDatabaseAsync(),
            services: services => services.Configure<PasswordHasherOptions>(options => options.IterationCount = 100_000)));
        await LoginAsync(host, "192.0.2.100", Staff.Clerk, Staff.DemoPassword);

        var known = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        string? knownDetail = null, unknownDetail = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var started = Stopwatch.GetTimestamp();
            var knownAnswer = await LoginAsync(host, $"192.0.2.{attempt + 1}", Staff.Clerk, "not-the-password");
            known.Add(Stopwatch.GetElapsedTime(started));
            started = Stopwatch.GetTimestamp();
            var unknownAnswer = await LoginAsync(host, $"192.0.2.{attempt + 11}", "zhang.wei.private", "not-the-password");
            unknown.Add(Stopwatch.GetElapsedTime(started));
            Assert.Equal(HttpStatusCode.Unauthorized, knownAnswer.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, unknownAnswer.StatusCode);
            knownDetail = (await ApiClient.ProblemAsync(knownAnswer)).GetProperty("detail").GetString();
            unknownDetail = (await ApiClient.ProblemAsync(unknownAnswer)).GetProperty("detail").GetString();
        }

        Assert.Equal(knownDetail, unknownDetail);
        var median = (List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);
        Assert.True(median(unknown) >= median(known) * 0.6, $"unknown name answered in {median(unknown)}, a known one in {median(known)}");
        var audit = await host.WithDbAsync(db => db.AuditEntries.AsNoTracking().ToListAsync());
        Assert.DoesNotContain(audit, e => $"{e.Actor} {e.TargetId} {e.Detail}".Contains("zhang.wei", StringComparison.Ordinal));
        Assert.Equal(5, audit.Count(e => e.Action == "sign-in-failed" && e.Actor!.StartsWith("unknown-name:", StringComparison.Ordinal)));
        Assert.Equal(5, audit.Count(e => e.Action == "sign-in-failed" && e.Actor == Staff.Clerk));
    }

    [Fact]
    public async Task Repeated_failures_from_one_address_leave_one_audit_row_for_the_first_and_one_for_the_throttling()
    {
        var host = Track(new OneThingHost(await postgres.CreateDatabaseAsync()));

        var answers = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 30; attempt++)
        {
            answers.Add((await LoginAsync(host, "203.0.113.50", "nobody", $"guess-{attempt}")).StatusCode);
        }

        Assert.Equal(5, answers.Count(status => status == HttpStatusCode.Unauthorized));
        Assert.Equal(25, answers.Count(status => status == HttpStatusCode.TooManyRequests));
        var audit = await host.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("sign-in")).ToListAsync());
        Assert.Single(audit, e => e.Action == "sign-in-failed");
        Assert.Single(audit, e => e.Action == "sign-in-throttled");
        var failureRows = await host.WithDbAsync(db =>
            db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM sign_in_failures").SingleAsync());
        Assert.Equal(1, failureRows);
    }

    [Fact]
    public async Task The_web_sign_in_form_is_throttled_like_the_api()
    {
        var host = Track(new OneThingHost(await postgres.CreateDatabaseAsync()));
        var browser = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await browser.GetStringAsync("/signin");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        var redirects = new List<string?>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            var answer = await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["userName"] = Staff.Clerk,
                ["password"] = attempt < 5 ? $"guess-{attempt}" : Staff.DemoPassword,
            }));
            redirects.Add(answer.Headers.Location?.ToString());
        }

        Assert.All(redirects.Take(5), location => Assert.EndsWith("error=wrong", location));
        Assert.EndsWith("error=throttled", redirects[^1]);
    }

    private OneThingHost Track(OneThingHost host)
    {
        _hosts.Add(host);
        return host;
    }

    /// <summary>A login from the given client address: straight from it, or through the known proxy that names it in X-Forwarded-For.</summary>
    private static async Task<HttpResponseMessage> LoginAsync(OneThingHost host, string client, string userName, string password, bool viaProxy = false)
    {
        var body = JsonSerializer.Serialize(new { userName, password });
        var context = await host.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Post;
            http.Request.Path = "/api/auth/login";
            http.Request.ContentType = "application/json";
            http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            http.Request.ContentLength = http.Request.Body.Length;
            http.Features.Set<IHttpRequestBodyDetectionFeature>(new RequestWithBody());
            http.Connection.RemoteIpAddress = IPAddress.Parse(viaProxy ? Proxy : client);
            if (viaProxy)
            {
                http.Request.Headers["X-Forwarded-For"] = client;
            }
        });
        var response = new HttpResponseMessage((HttpStatusCode)context.Response.StatusCode)
        {
            Content = new StreamContent(context.Response.Body),
        };
        foreach (var (name, values) in context.Response.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                response.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        return response;
    }

    /// <summary>A request built by hand has no body as far as the server knows, unless it is told otherwise.</summary>
    private sealed class RequestWithBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }
}
