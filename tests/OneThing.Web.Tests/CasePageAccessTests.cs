using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class CasePageAccessTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task An_admin_gets_the_not_allowed_view_of_a_case_page_with_its_notifications()
    {
        var (caseId, caseNumber) = await Browser.FileIdentityChangeAsync();
        await SignInAsAsync("admin");
        await Page.OpenAsync($"/cases/{caseId}");

        await Expect(Page.Locator("h1")).ToHaveTextAsync("无权访问");
        await Expect(Page.Locator("main")).Not.ToContainTextAsync(caseNumber);
        await Expect(Page.Locator(".case-notifications")).ToHaveCountAsync(0);
    }
}
