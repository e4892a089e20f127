using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>
/// The OpenAPI document itself: how to sign in, which operations need it, a summary for each (what a linter such as
/// Redocly's checks, run here because the linter is not), and that it is not published in production unless asked for.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OpenApiDocumentTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_document_declares_the_bearer_token_and_the_sign_in_cookie_as_security_schemes()
    {
        var schemes = (await DocumentAsync()).GetProperty("components").GetProperty("securitySchemes");

        var bearer = schemes.GetProperty("Bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        var cookie = schemes.GetProperty("Cookie");
        Assert.Equal("apiKey", cookie.GetProperty("type").GetString());
        Assert.Equal("cookie", cookie.GetProperty("in").GetString());
        Assert.Equal(".AspNetCore.Identity.Application", cookie.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Every_operation_has_a_summary_and_asks_for_sign_in_exactly_when_an_anonymous_caller_is_refused()
    {
        var anonymous = _host.CreateClient();
        var wrong = new List<string>();
        foreach (var (method, route, operation) in Operations(await DocumentAsync()))
        {
            if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            {
                wrong.Add($"{method} {route}: no summary");
            }

            if (!operation.TryGetProperty("security", out var security))
            {
                wrong.Add($"{method} {route}: no security requirement (an anonymous operation says so with an empty list)");
                continue;
            }

            var schemes = security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).ToHashSet();
            var path = route.Replace("{id}", Guid.NewGuid().ToString(), StringComparison.Ordinal).Replace("{", "", StringComparison.Ordinal)
                .Replace("}", "", StringComparison.Ordinal);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method != "GET")
            {
                // Broken JSON: an operation that lets the caller in refuses the body, so nothing is done.
                request.Content = new StringContent("{", Encoding.UTF8, "application/json");
            }

            using var answer = await anonymous.SendAsync(request);
            var refused = answer.StatusCode == HttpStatusCode.Unauthorized;
            if (refused != schemes.SetEquals(["Bearer", "Cookie"]) || (!refused && schemes.Count > 0))
            {
                wrong.Add($"{method} {route}: anonymous caller got {(int)answer.StatusCode}, document asks for [{string.Join(", ", schemes)}]");
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task The_servers_have_no_trailing_slash()
    {
        var servers = (await DocumentAsync()).GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToList();

        Assert.NotEmpty(servers);
        Assert.All(servers, url => Assert.False(url.Length > 1 && url.EndsWith('/'), url));
    }

    [Fact]
    public async Task In_production_the_document_swagger_ui_and_the_scalar_reference_are_off_unless_enabled()
    {
        var production = new Dictionary<string, string?> { ["environment"] = "Production", ["Accounts:SeedDemoAccounts"] = "false" };
        await using var off = new OneThingHost(_host.ConnectionString, production);
        await using var on = new OneThingHost(_host.ConnectionString, new Dictionary<string, string?>(production) { ["Api:OpenApi"] = "true" });

        // Not mapped, so the sign-in every unmapped address needs is asked for (401) instead of the document.
        Assert.Equal(HttpStatusCode.Unauthorized, (await off.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await off.CreateClient().GetAsync("/swagger/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await off.CreateClient().GetAsync("/scalar")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await on.CreateClient().GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await on.CreateClient().GetAsync("/swagger/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await on.CreateClient().GetAsync("/scalar")).StatusCode);
    }

    [Fact]
    public async Task The_scalar_reference_is_a_page_that_reads_the_same_document_with_a_script_the_service_serves_itself()
    {
        var client = _host.CreateClient();

        using var page = await client.GetAsync("/scalar");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        // The page names the document relative to the application's root, so it also works behind a path prefix.
        var source = System.Text.RegularExpressions.Regex.Match(html, "\"sources\":\\[\\{[^}]*\"url\":\"([^\"]+)\"");
        Assert.True(source.Success, html);
        Assert.Equal("/openapi/v1.json", "/" + source.Groups[1].Value.TrimStart('/'));
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            // Relative to the page: the service hall's network may reach no CDN.
            Assert.False(script.StartsWith("http", StringComparison.OrdinalIgnoreCase), script);
            using var served = await client.GetAsync(new Uri(new Uri(client.BaseAddress!, "/scalar/"), script));
            Assert.True(served.StatusCode == HttpStatusCode.OK, $"{script}: {(int)served.StatusCode}");
        }
    }

    private async Task<JsonElement> DocumentAsync() => await _host.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

    private static IEnumerable<(string Method, string Route, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (operation.Name.ToUpperInvariant(), path.Name, operation.Value)));
}
