using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>
/// Issue 10 item 7: sign-out, password changes, role and department changes, disabling and lock-out end every session and
/// token of the account; refresh tokens rotate and a reused one ends its sign-in. Accounts are made per test, so the
/// demo accounts the helpers sign in with stay valid.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class RevocationTests(RevocationTests.QuickLockOutHost shared) : IClassFixture<RevocationTests.QuickLockOutHost>, IAsyncLifetime
{
    private const string NewPassword = "Another-Passw0rd-2026";

    /// <summary>Two wrong passwords from one address lock an account here, so the lock-out trigger needs no proxy tricks.</summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Accounts:MaxFailedSignIns"] = "2",
        ["Accounts:AddressesToLockAccount"] = "1",
    };

    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public sealed class QuickLockOutHost(PostgresServer postgres) : SharedHost(postgres, Settings);

    private HttpClient Admin => _api.As(Staff.Admin);

    /// <summary>One account signed in twice: as an API client with a bearer token and as a browser with the session cookie.</summary>
    private sealed record Sessions(string UserName, HttpClient Bearer, HttpClient Cookie, string RefreshToken);

    private async Task<Sessions> SignInBothWaysAsync(string userName, string password = Staff.DemoPassword)
    {
        var token = await TokenAsync(userName, password);
        var cookie = _host.CreateClient();
        await ApiClient.ExpectAsync(HttpStatusCode.OK, cookie.PostAsJsonAsync("/api/auth/login?useCookies=true", new { userName, password }));
        return new Sessions(userName, BearerClient(token.GetProperty("accessToken").GetString()!), cookie, token.GetProperty("refreshToken").GetString()!);
    }

    private async Task<JsonElement> TokenAsync(string userName, string password = Staff.DemoPassword)
    {
        var response = await _host.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName, password });
        await ApiClient.ExpectAsync(HttpStatusCode.OK, Task.FromResult(response));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private HttpClient BearerClient(string accessToken)
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    private static async Task<(HttpStatusCode Bearer, HttpStatusCode Cookie)> MeAsync(Sessions sessions) =>
        ((await sessions.Bearer.GetAsync("/api/auth/me")).StatusCode, (await sessions.Cookie.GetAsync("/api/auth/me")).StatusCode);

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        _host.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    private Task<HttpResponseMessage> LoginAsync(string userName, string password) =>
        _host.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName, password });

    /// <summary>A cookie-authenticated call that changes something carries the antiforgery token (CsrfTests).</summary>
    private static async Task<HttpResponseMessage> PostWithCookieAsync(HttpClient browser, string path, object? body = null)
    {
        var antiforgery = await browser.GetFromJsonAsync<JsonElement>("/api/auth/antiforgery");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(antiforgery.GetProperty("headerName").GetString()!, antiforgery.GetProperty("token").GetString());
        return await browser.SendAsync(request);
    }

    private async Task<List<JsonElement>> AuditAsync(string action, string target) =>
        (await Admin.GetFromJsonAsync<JsonElement>($"/api/audit?action={action}")).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("targetId").GetString() == target).ToList();

    public static TheoryData<string> Triggers() =>
        ["sign-out with the bearer token", "sign-out with the cookie", "own password change", "admin password reset", "role change",
         "department change", "disable", "lock-out"];

    [Theory]
    [MemberData(nameof(Triggers))]
    public async Task Each_trigger_ends_every_bearer_token_and_cookie_session_of_that_account_and_no_other(string trigger)
    {
        await _api.CreateAccountAsync("zhao.tax", "reviewer", "tax");
        await _api.CreateAccountAsync("qian.tax", "reviewer", "tax");
        var target = await SignInBothWaysAsync("zhao.tax");
        var bystander = await SignInBothWaysAsync("qian.tax");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), await MeAsync(target));

        var (answer, action) = trigger switch
        {
            "sign-out with the bearer token" => (await target.Bearer.PostAsync("/api/auth/logout", null), "sign-out"),
            "sign-out with the cookie" => (await PostWithCookieAsync(target.Cookie, "/api/auth/logout"), "sign-out"),
            "own password change" => (await target.Bearer.PostAsJsonAsync("/api/auth/password",
                new { currentPassword = Staff.DemoPassword, newPassword = NewPassword }), "password-changed"),
            "admin password reset" => (await Admin.PostAsJsonAsync("/api/accounts/zhao.tax/password", new { newPassword = NewPassword }), "password-reset"),
            "role change" => (await Admin.PutAsJsonAsync("/api/accounts/zhao.tax/role", new { role = "supervisor" }), "account-role-changed"),
            "department change" => (await Admin.PutAsJsonAsync("/api/accounts/zhao.tax/role", new { role = "reviewer", department = "education" }),
                "account-role-changed"),
            "disable" => (await Admin.PostAsync("/api/accounts/zhao.tax/disable", null), "account-disabled"),
            "lock-out" => (await LockOutAsync("zhao.tax"), "account-locked"),
            _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
        };

        Assert.True(answer.IsSuccessStatusCode || trigger == "lock-out", $"{trigger}: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), await MeAsync(target));
        await ApiClient.ProblemAsync(await target.Bearer.GetAsync("/api/auth/me"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(target.RefreshToken)).StatusCode);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), await MeAsync(bystander));
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(bystander.RefreshToken)).StatusCode);
        var audited = Assert.Single(await AuditAsync(action, "zhao.tax"));
        Assert.DoesNotContain(NewPassword, audited.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Staff.DemoPassword, audited.GetRawText(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> LockOutAsync(string userName)
    {
        HttpResponseMessage last = null!;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            last = await LoginAsync(userName, $"guess-{attempt}");
        }

        return last;
    }

    [Fact]
    public async Task A_refresh_rotates_the_refresh_token_and_a_reused_one_ends_that_sign_in_but_not_the_accounts_others()
    {
        await _api.CreateAccountAsync("sun.clerk", "clerk");
        var first = await TokenAsync("sun.clerk");
        var other = await TokenAsync("sun.clerk");

        var rotated = await RefreshAsync(first.GetProperty("refreshToken").GetString()!);
        var second = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        var secondWorks = await BearerClient(second.GetProperty("accessToken").GetString()!).GetAsync("/api/auth/me");
        var reused = await RefreshAsync(first.GetProperty("refreshToken").GetString()!);
        var secondRefresh = await RefreshAsync(second.GetProperty("refreshToken").GetString()!);
        var secondAccess = await BearerClient(second.GetProperty("accessToken").GetString()!).GetAsync("/api/auth/me");
        var firstAccess = await BearerClient(first.GetProperty("accessToken").GetString()!).GetAsync("/api/auth/me");
        var otherAccess = await BearerClient(other.GetProperty("accessToken").GetString()!).GetAsync("/api/auth/me");
        var otherRefresh = await RefreshAsync(other.GetProperty("refreshToken").GetString()!);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.NotEqual(first.GetProperty("refreshToken").GetString(), second.GetProperty("refreshToken").GetString());
        Assert.Equal(HttpStatusCode.OK, secondWorks.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Contains("already used", (await ApiClient.ProblemAsync(reused)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, secondRefresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, secondAccess.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, firstAccess.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherAccess.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherRefresh.StatusCode);
        Assert.Single(await AuditAsync("refresh-token-reused", "sun.clerk"));
    }

    [Fact]
    public async Task Changing_ones_own_password_needs_the_current_one_and_a_strong_new_one_and_keeps_the_session_that_changed_it()
    {
        await _api.CreateAccountAsync("li.clerk", "clerk");
        var sessions = await SignInBothWaysAsync("li.clerk");

        var wrongCurrent = await PostWithCookieAsync(sessions.Cookie, "/api/auth/password", new { currentPassword = "not-it-at-all", newPassword = NewPassword });
        var weak = await PostWithCookieAsync(sessions.Cookie, "/api/auth/password", new { currentPassword = Staff.DemoPassword, newPassword = "short" });
        var missing = await PostWithCookieAsync(sessions.Cookie, "/api/auth/password", new { });
        var stillSignedIn = await MeAsync(sessions);
        var changed = await PostWithCookieAsync(sessions.Cookie, "/api/auth/password", new { currentPassword = Staff.DemoPassword, newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(wrongCurrent)).GetProperty("errors").TryGetProperty("currentPassword", out _));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(weak)).GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), stillSignedIn);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.OK), await MeAsync(sessions));
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync("li.clerk", Staff.DemoPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync("li.clerk", NewPassword)).StatusCode);
        Assert.Single(await AuditAsync("password-change-refused", "li.clerk"));
        Assert.Single(await AuditAsync("password-changed", "li.clerk"));
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_until_enabled_and_an_admin_cannot_disable_or_demote_their_own()
    {
        await _api.CreateAccountAsync("zhou.clerk", "clerk");

        var disabled = await Admin.PostAsync("/api/accounts/zhou.clerk/disable", null);
        var signInWhileDisabled = await LoginAsync("zhou.clerk", Staff.DemoPassword);
        var wrongPasswordWhileDisabled = await LoginAsync("zhou.clerk", "guess-once");
        var listed = (await Admin.GetFromJsonAsync<JsonElement>("/api/accounts")).EnumerateArray().Single(a => a.GetProperty("userName").GetString() == "zhou.clerk");
        var disableSelf = await Admin.PostAsync($"/api/accounts/{Staff.Admin}/disable", null);
        var demoteSelf = await Admin.PutAsJsonAsync($"/api/accounts/{Staff.Admin}/role", new { role = "supervisor" });
        var unknown = await Admin.PostAsync("/api/accounts/nobody/disable", null);
        var enabled = await Admin.PostAsync("/api/accounts/zhou.clerk/enable", null);
        var signInAfterEnabling = await LoginAsync("zhou.clerk", Staff.DemoPassword);

        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signInWhileDisabled.StatusCode);
        Assert.Contains("disabled", (await ApiClient.ProblemAsync(signInWhileDisabled)).GetProperty("detail").GetString());
        // Without the password, a disabled account looks like any other wrong guess.
        Assert.Contains("Wrong user name or password", (await ApiClient.ProblemAsync(wrongPasswordWhileDisabled)).GetProperty("detail").GetString());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("disabledAt").ValueKind);
        Assert.Equal(HttpStatusCode.Conflict, disableSelf.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, demoteSelf.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await ApiClient.ProblemAsync(unknown);
        Assert.Equal(HttpStatusCode.NoContent, enabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signInAfterEnabling.StatusCode);
        Assert.Single(await AuditAsync("account-disabled", "zhou.clerk"));
        Assert.Single(await AuditAsync("account-enabled", "zhou.clerk"));
        Assert.Contains(await AuditAsync("sign-in-failed", "zhou.clerk"), e => e.GetProperty("detail").GetString() == "disabled");
    }

    [Fact]
    public async Task A_role_change_keeps_the_rules_of_account_creation_and_the_next_sign_in_carries_the_new_role_and_department()
    {
        await _api.CreateAccountAsync("wu.tax", "reviewer", "tax");

        var noDepartment = await Admin.PutAsJsonAsync("/api/accounts/wu.tax/role", new { role = "reviewer" });
        var unknownDepartment = await Admin.PutAsJsonAsync("/api/accounts/wu.tax/role", new { role = "reviewer", department = "ministry-of-magic" });
        var clerkWithDepartment = await Admin.PutAsJsonAsync("/api/accounts/wu.tax/role", new { role = "clerk", department = "tax" });
        var reviewerWithHall = await Admin.PutAsJsonAsync("/api/accounts/wu.tax/role", new { role = "reviewer", department = "tax", hall = "east" });
        var unknownRole = await Admin.PutAsJsonAsync("/api/accounts/wu.tax/role", new { role = "emperor" });
        var byClerk = await _api.Http.PutAsJsonAsync("/api/accounts/wu.tax/role", new { role = "admin" });
        var moved = await Admin.PutAsJsonAsync("/api/accounts/wu.tax/role", new { role = "reviewer", department = "education" });
        var me = await BearerClient((await TokenAsync("wu.tax")).GetProperty("accessToken").GetString()!).GetFromJsonAsync<JsonElement>("/api/auth/me");
        var toClerk = await Admin.PutAsJsonAsync("/api/accounts/wu.tax/role", new { role = "clerk", hall = "east" });
        var listed = (await Admin.GetFromJsonAsync<JsonElement>("/api/accounts")).EnumerateArray().Single(a => a.GetProperty("userName").GetString() == "wu.tax");

        foreach (var refused in new[] { noDepartment, unknownDepartment, clerkWithDepartment, reviewerWithHall, unknownRole })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            await ApiClient.ProblemAsync(refused);
        }

        Assert.Equal(HttpStatusCode.Forbidden, byClerk.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, moved.StatusCode);
        Assert.Equal("education", me.GetProperty("department").GetString());
        Assert.Equal(HttpStatusCode.NoContent, toClerk.StatusCode);
        Assert.Equal("clerk", listed.GetProperty("role").GetString());
        Assert.Equal("east", listed.GetProperty("hall").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("department").ValueKind);
        var details = (await AuditAsync("account-role-changed", "wu.tax")).Select(e => e.GetProperty("detail").GetString()).ToList();
        Assert.Contains(details, d => d!.StartsWith("reviewer of tax → reviewer of education", StringComparison.Ordinal));
        Assert.Contains(details, d => d!.StartsWith("reviewer of education → clerk at hall east", StringComparison.Ordinal));
        Assert.All(await AuditAsync("account-role-changed", "wu.tax"), e => Assert.Equal(Staff.Admin, e.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task Another_node_ends_a_revoked_session_within_the_check_interval()
    {
        var settings = new Dictionary<string, string?>(Settings) { ["Accounts:SessionCheckInterval"] = "00:00:01" };
        await using var nodeA = new OneThingHost(_host.ConnectionString, settings);
        await using var nodeB = new OneThingHost(_host.ConnectionString, settings);
        await new ApiClient(nodeA).CreateAccountAsync("zheng.clerk", "clerk");
        var login = await nodeA.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName = "zheng.clerk", password = Staff.DemoPassword });
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var onB = nodeB.CreateClient();
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/auth/me")).StatusCode);

        var disabled = await (await nodeA.ClientForAsync(Staff.Admin)).PostAsync("/api/accounts/zheng.clerk/disable", null);
        var started = DateTime.UtcNow;
        await Eventually.MatchAsync(() => onB.GetAsync("/api/auth/me"), r => r.StatusCode == HttpStatusCode.Unauthorized, "node B refusing the token",
            TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), $"node B took {DateTime.UtcNow - started}");
    }
}
