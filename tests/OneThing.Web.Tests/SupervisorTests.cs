using Microsoft.Playwright;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class SupervisorTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task The_dashboard_turns_red_by_itself_when_a_deadline_passes_and_the_supervisor_urges_and_reassigns()
    {
        var (caseId, caseNumber) = await Browser.FileIdentityChangeAsync();
        await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        await SignInAsAsync("supervisor");
        await Page.OpenAsync("/supervisor");
        await Expect(Page.GetByTestId("count-green")).ToHaveTextAsync("1");
        await Expect(Page.GetByTestId("count-red")).ToHaveTextAsync("0");
        await Expect(Page.Locator("main")).ToContainTextAsync("目前没有超期任务");

        // Household registration has 1 working day: due at Tuesday's closing time. No reload: the dashboard refreshes by itself.
        Browser.Clock.Set(new DateTimeOffset(2026, 11, 25, 10, 0, 0, BrowserFixture.BeijingOffset));
        await Expect(Page.GetByTestId("count-red")).ToHaveTextAsync("1");
        var breach = Page.Locator("tr", new() { HasText = caseNumber });
        await Expect(breach).ToContainTextAsync("公安户籍");
        await Expect(breach).ToContainTextAsync("2026-11-24 17:30");
        await Expect(Page.Locator(".rz-chart svg").First).ToBeVisibleAsync();
        await Page.ScreenshotAsync("supervisor-dashboard");

        await Page.GetByRole(AriaRole.Button, new() { Name = $"催办 {caseNumber}" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "催办" })).ToContainTextAsync($"已向 1 个部门催办 {caseNumber}");

        await Page.GetByRole(AriaRole.Button, new() { Name = $"改派 {caseNumber}" }).ClickAsync();
        await Page.Locator(".reassign .rz-dropdown").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "reviewer.household-registration" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "确认改派" }).ClickAsync();
        await Expect(breach).ToContainTextAsync("reviewer.household-registration");

        await Page.GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync($"办件 {caseNumber}");
        await Expect(Page.Locator(".case-history")).ToContainTextAsync("督办催办 · 公安户籍 · supervisor");
        await Expect(Page.Locator(".case-history")).ToContainTextAsync("改派 · 公安户籍 · supervisor");
        await Expect(Page.Locator("g.diagram-step[data-step='household']")).ToHaveAttributeAsync("data-state", "active");
        await Expect(Page.Locator("tr", new() { HasText = "户籍姓名变更" })).ToContainTextAsync("红灯");
        await Page.ScreenshotAsync("case-page-breached");
    }

    [Fact]
    public async Task The_language_switch_shows_the_pages_in_English_and_back_in_Chinese()
    {
        await SignInAsAsync("supervisor");
        await Page.OpenAsync("/supervisor");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("督办中心");

        await Page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Supervision centre");
        await Page.Locator("main[data-interactive=true]").WaitForAsync();
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Page.ScreenshotAsync("supervisor-dashboard-english");

        await Page.GetByRole(AriaRole.Button, new() { Name = "中文" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("督办中心");
    }
}
