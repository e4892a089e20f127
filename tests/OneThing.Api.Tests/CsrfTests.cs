using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>Cross-site request forgery: what the browser's session cookie alone may and may not do.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CsrfTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_call_that_changes_something_with_only_the_session_cookie_is_refused_and_writes_nothing()
    {
        var browser = await SignedInWithCookieAsync();

        var forged = await browser.PostAsJsonAsync("/api/cases", await FilingAsync());
        var forgedLogout = await browser.PostAsync("/api/auth/logout", null);
        var reading = await browser.GetAsync("/api/cases");

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("antiforgery", (await ApiClient.ProblemAsync(forged)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, forgedLogout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reading.StatusCode);
        Assert.Equal(0, await _host.WithDbAsync(db => db.Cases.CountAsync()));
    }

    [Fact]
    public async Task With_the_antiforgery_token_the_cookie_may_change_things_and_a_bearer_token_needs_none()
    {
        var browser = await SignedInWithCookieAsync();
        var antiforgery = await browser.GetFromJsonAsync<JsonElement>("/api/auth/antiforgery");
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(await FilingAsync()) };
        withToken.Headers.Add(antiforgery.GetProperty("headerName").GetString()!, antiforgery.GetProperty("token").GetString());

        var byCookie = await browser.SendAsync(withToken);
        var byBearer = await _api.Http.PostAsJsonAsync("/api/cases", await FilingAsync());

        Assert.Equal(HttpStatusCode.Created, byCookie.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byBearer.StatusCode);
        Assert.Equal(2, await _host.WithDbAsync(db => db.Cases.CountAsync()));
    }

    [Fact]
    public async Task The_web_uis_live_connection_is_refused_to_pages_of_another_origin()
    {
        var browser = await SignedInWithCookieAsync();

        var fromElsewhere = await NegotiateAsync(browser, "https://evil.example");
        var fromSiblingPort = await NegotiateAsync(browser, "http://localhost:8081");
        var fromItsOwnPages = await NegotiateAsync(browser, "http://localhost");

        Assert.Equal(HttpStatusCode.Forbidden, fromElsewhere.StatusCode);
        await ApiClient.ProblemAsync(fromElsewhere);
        Assert.Equal(HttpStatusCode.Forbidden, fromSiblingPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromItsOwnPages.StatusCode);
    }

    private async Task<HttpClient> SignedInWithCookieAsync()
    {
        var browser = _host.CreateClient();
        var login = await browser.PostAsJsonAsync("/api/auth/login?useCookies=true", new { userName = Staff.Clerk, password = Staff.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return browser;
    }

    private async Task<object> FilingAsync() => new { workflowId = "identity-change", form = await _api.IdentityChangeFormAsync() };

    private static async Task<HttpResponseMessage> NegotiateAsync(HttpClient browser, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        return await browser.SendAsync(request);
    }
}
