using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class AccountTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> LoginAsync(HttpClient client, string userName, string password, bool cookies = false) =>
        client.PostAsJsonAsync($"/api/auth/login{(cookies ? "?useCookies=true" : "")}", new { userName, password });

    private async Task<JsonElement> AuditAsync(string query) =>
        (await _api.As(Staff.Admin).GetFromJsonAsync<JsonElement>($"/api/audit?{query}")).GetProperty("items");

    [Fact]
    public async Task Signing_in_answers_a_bearer_token_that_carries_the_role_and_the_reviewers_department()
    {
        var response = await LoginAsync(_host.CreateClient(), "reviewer.education", Staff.DemoPassword);
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());

        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.True(token.GetProperty("expiresIn").GetInt32() > 0);
        Assert.Equal("reviewer.education", me.GetProperty("userName").GetString());
        Assert.Equal("reviewer", me.GetProperty("role").GetString());
        Assert.Equal("education", me.GetProperty("department").GetString());
    }

    [Fact]
    public async Task A_refresh_token_buys_a_new_access_token()
    {
        var first = await (await LoginAsync(_host.CreateClient(), Staff.Clerk, Staff.DemoPassword)).Content.ReadFromJsonAsync<JsonElement>();

        var refreshed = await _host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.GetProperty("refreshToken").GetString() });
        var forged = await _host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "not-a-token" });

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.False(string.IsNullOrEmpty((await refreshed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_refusal_and_both_attempts_are_audited()
    {
        var wrongPassword = await LoginAsync(_host.CreateClient(), Staff.Clerk, "not-the-password");
        var unknownUser = await LoginAsync(_host.CreateClient(), "nobody", Staff.DemoPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Equal((await ApiClient.ProblemAsync(wrongPassword)).GetProperty("detail").GetString(),
            (await ApiClient.ProblemAsync(unknownUser)).GetProperty("detail").GetString());
        var failures = await AuditAsync("action=sign-in-failed");
        Assert.Contains(failures.EnumerateArray(), e => e.GetProperty("actor").GetString() == Staff.Clerk);
        // What was typed as a name that no account has is kept only as a hash.
        Assert.Contains(failures.EnumerateArray(), e => e.GetProperty("actor").GetString()!.StartsWith("unknown-name:", StringComparison.Ordinal));
        Assert.DoesNotContain(failures.EnumerateArray(), e => e.GetRawText().Contains("nobody", StringComparison.Ordinal));
        Assert.All(failures.EnumerateArray(), e => Assert.Equal("127.0.0.1", e.GetProperty("clientAddress").GetString()));
        Assert.Contains((await AuditAsync("action=sign-in")).EnumerateArray(), e => e.GetProperty("actor").GetString() == Staff.Admin);
    }

    [Fact]
    public async Task Cookie_sign_in_for_the_web_ui_sets_an_http_only_cookie_that_signing_out_ends()
    {
        var browser = _host.CreateClient();

        var login = await LoginAsync(browser, Staff.Clerk, Staff.DemoPassword, cookies: true);
        var whileSignedIn = await browser.GetAsync("/api/cases");
        var antiforgery = await browser.GetFromJsonAsync<JsonElement>("/api/auth/antiforgery");
        using var logoutRequest = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        logoutRequest.Headers.Add(antiforgery.GetProperty("headerName").GetString()!, antiforgery.GetProperty("token").GetString());
        var logout = await browser.SendAsync(logoutRequest);
        var afterLogout = await browser.GetAsync("/api/cases");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, whileSignedIn.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
    }

    [Fact]
    public async Task Demo_accounts_include_a_reviewer_for_every_department_of_the_shipped_workflows()
    {
        var accounts = await _api.As(Staff.Admin).GetFromJsonAsync<List<Accounts.AccountResponse>>("/api/accounts", OneThingJson.Options);
        var workflow = await _api.Http.GetFromJsonAsync<Workflows.WorkflowResponse>("/api/workflows/identity-change", OneThingJson.Options);

        Assert.Contains(accounts!, a => a is { UserName: "clerk", Role: "clerk", Department: null });
        Assert.Contains(accounts!, a => a is { UserName: "supervisor", Role: "supervisor" });
        Assert.Contains(accounts!, a => a is { UserName: "admin", Role: "admin" });
        foreach (var department in workflow!.Steps.Select(s => s.Department).OfType<string>().Distinct())
        {
            Assert.Contains(accounts!, a => a.UserName == $"reviewer.{department}" && a.Role == "reviewer" && a.Department == department);
        }
    }

    [Fact]
    public async Task An_admin_creates_a_reviewer_only_with_a_known_department_and_the_creation_is_audited()
    {
        var admin = _api.As(Staff.Admin);

        var created = await admin.PostAsJsonAsync("/api/accounts", new { userName = "li.tax", password = Staff.DemoPassword, role = "reviewer", department = "tax" });
        var withoutDepartment = await admin.PostAsJsonAsync("/api/accounts", new { userName = "li.none", password = Staff.DemoPassword, role = "reviewer" });
        var unknownDepartment = await admin.PostAsJsonAsync("/api/accounts", new { userName = "li.x", password = Staff.DemoPassword, role = "reviewer", department = "ministry-of-magic" });
        var clerkWithDepartment = await admin.PostAsJsonAsync("/api/accounts", new { userName = "li.clerk", password = Staff.DemoPassword, role = "clerk", department = "tax" });
        var weakPassword = await admin.PostAsJsonAsync("/api/accounts", new { userName = "li.weak", password = "123", role = "clerk" });
        var duplicate = await admin.PostAsJsonAsync("/api/accounts", new { userName = "li.tax", password = Staff.DemoPassword, role = "reviewer", department = "tax" });
        var byClerk = await _api.Http.PostAsJsonAsync("/api/accounts", new { userName = "li.sneaky", password = Staff.DemoPassword, role = "admin" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutDepartment.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownDepartment.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, clerkWithDepartment.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, weakPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byClerk.StatusCode);
        var me = await _api.As("li.tax").GetFromJsonAsync<JsonElement>("/api/auth/me");
        Assert.Equal("tax", me.GetProperty("department").GetString());
        var audit = Assert.Single((await AuditAsync("action=account-created")).EnumerateArray());
        Assert.Equal("li.tax", audit.GetProperty("targetId").GetString());
        Assert.Equal(Staff.Admin, audit.GetProperty("actor").GetString());
    }
}
