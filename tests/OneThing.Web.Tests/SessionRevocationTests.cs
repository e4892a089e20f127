using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class SessionRevocationTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task A_reviewers_open_page_goes_to_the_sign_in_page_once_an_admin_disables_the_account()
    {
        // A host of its own: its open pages check their session every second, and disabling a demo account here touches no other test.
        await using var host = await Browser.StartHostAsync(new Dictionary<string, string?> { ["Accounts:SessionCheckInterval"] = "00:00:01" }, _ => { });
        var page = await Browser.NewPageAsync("reviewer.education", host);
        await page.OpenAsync("/reviewer/education");
        await Expect(page.Locator("h1")).ToContainTextAsync("待办");

        using var admin = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var login = await admin.PostAsJsonAsync("/api/auth/login", new { userName = Staff.Admin, password = Staff.DemoPassword });
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var disabled = await admin.PostAsync("/api/accounts/reviewer.education/disable", null);

        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        // The page itself notices, without a click or a reload: its circuit asks again within the interval.
        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?returnUrl=%2Freviewer%2Feducation"), new() { Timeout = 10_000 });
        await Expect(page.Locator("main")).Not.ToContainTextAsync("待办");
        await page.ScreenshotAsync("signed-out-after-disabling");
        await page.Context.DisposeAsync();
    }
}
