using Microsoft.Playwright;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class InboxTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const int Cases = 23;

    [Fact]
    public async Task The_inbox_pages_through_the_database_in_Chinese_and_the_case_number_filter_finds_one_task_by_its_last_digits()
    {
        var filed = new List<(Guid Id, string CaseNumber)>();
        for (var i = 0; i < Cases; i++)
        {
            filed.Add(await Browser.FileIdentityChangeAsync());
        }

        foreach (var (id, _) in filed)
        {
            await Browser.WaitForOpenTaskAsync("household-registration", id);
        }

        await SignInAsAsync("reviewer.household-registration");
        await Page.OpenAsync("/reviewer/household-registration");
        var rows = Page.Locator(".rz-data-grid tbody tr");
        var summary = Page.Locator(".rz-pager-summary");

        await Expect(summary).ToHaveTextAsync($"第 1 页，共 2 页（{Cases} 条）");
        await Expect(rows).ToHaveCountAsync(20);
        var firstPage = await rows.AllInnerTextsAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "下一页" }).ClickAsync();
        await Expect(summary).ToHaveTextAsync($"第 2 页，共 2 页（{Cases} 条）");
        await Expect(rows).ToHaveCountAsync(Cases - 20);
        var shown = firstPage.Concat(await rows.AllInnerTextsAsync()).ToList();
        // Every filed case on exactly one of the two pages.
        Assert.All(filed, c => Assert.Single(shown, row => row.Contains(c.CaseNumber, StringComparison.Ordinal)));
        await Page.ScreenshotAsync("reviewer-inbox-page-2");

        var wanted = filed[6].CaseNumber;
        await Page.Locator("input[name=filter-number]").FillAsync(wanted[^6..]);
        await Page.Locator("input[name=filter-number]").PressAsync("Tab");

        await Expect(summary).ToHaveTextAsync("第 1 页，共 1 页（1 条）");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(wanted);

        await Page.Locator("input[name=filter-number]").FillAsync("YJS_1");
        await Page.Locator("input[name=filter-number]").PressAsync("Tab");
        await Expect(Page.Locator("#filter-number-error")).ToHaveTextAsync("受理编号只能包含字母、数字和“-”。");
    }

    [Fact]
    public async Task The_light_filter_shows_only_red_tasks_once_a_deadline_has_passed_and_the_pager_speaks_English_after_the_switch()
    {
        var (lateId, lateNumber) = await Browser.FileIdentityChangeAsync();
        await Browser.WaitForOpenTaskAsync("household-registration", lateId);
        // A working day later the first task is red; one filed now is green.
        Browser.Clock.Set(new DateTimeOffset(2026, 11, 25, 10, 0, 0, BrowserFixture.BeijingOffset));
        var (freshId, freshNumber) = await Browser.FileIdentityChangeAsync();
        await Browser.WaitForOpenTaskAsync("household-registration", freshId);

        await SignInAsAsync("reviewer.household-registration");
        await Page.OpenAsync("/reviewer/household-registration");
        var rows = Page.Locator(".rz-data-grid tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Page.Locator(".rz-dropdown", new() { Has = Page.Locator("[name=filter-light]") }).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = "红灯" }).ClickAsync();

        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(lateNumber);
        await Expect(Page.Locator("main")).Not.ToContainTextAsync(freshNumber);

        await Page.GotoAsync("/language/en?returnUrl=%2Freviewer%2Fhousehold-registration");
        await Page.Locator("main[data-interactive=true]").WaitForAsync();
        await Expect(Page.Locator(".rz-pager-summary")).ToHaveTextAsync("Page 1 of 1 (2 items)");
    }
}
