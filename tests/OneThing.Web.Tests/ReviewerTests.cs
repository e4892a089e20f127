using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class ReviewerTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Each_reviewer_claims_and_approves_and_the_case_page_then_shows_every_step_approved_and_the_case_completed()
    {
        var (caseId, caseNumber) = await Browser.FileIdentityChangeAsync();
        await Browser.WaitForOpenTaskAsync("household-registration", caseId);

        await SignInAsAsync("reviewer.household-registration");
        await Page.OpenAsync("/reviewer/household-registration");
        var row = Page.Locator("tr", new() { HasText = caseNumber });
        await Expect(row).ToContainTextAsync("绿灯");
        await Expect(row).ToContainTextAsync("待认领");
        await Expect(row).ToContainTextAsync("2026-11-24 17:30");
        await Page.ScreenshotAsync("reviewer-inbox");
        await DecideAsync("household-registration", caseNumber, approve: true, "材料齐全，同意更名", screenshot: "reviewer-task");

        foreach (var department in new[] { "social-security", "medical-insurance", "education", "real-estate-registration" })
        {
            await Browser.WaitForOpenTaskAsync(department, caseId);
            await SignInAsAsync($"reviewer.{department}");
            await Page.OpenAsync($"/reviewer/{department}");
            await DecideAsync(department, caseNumber, approve: true, "已同步变更");
        }

        await SignInAsAsync("clerk");
        await Page.OpenAsync($"/cases/{caseId}");
        await Expect(Page.GetByTestId("case-status")).ToHaveTextAsync("已办结", new() { Timeout = 15_000 });
        foreach (var step in new[] { "household", "social-security", "medical-insurance", "housing-fund", "education", "real-estate" })
        {
            await Expect(Page.Locator($"g.diagram-step[data-step='{step}']")).ToHaveAttributeAsync("data-state", "approved");
        }

        await Expect(Page.Locator(".case-history")).ToContainTextAsync("审批通过 · 公安户籍 · reviewer.household-registration");
        await Expect(Page.Locator(".case-history")).ToContainTextAsync("办结");
        await Page.ScreenshotAsync("case-page-completed");
    }

    [Fact]
    public async Task A_reviewer_sees_only_the_fields_their_department_may_see()
    {
        var (caseId, caseNumber) = await Browser.FileIdentityChangeAsync();
        var household = await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        await SignInAsAsync("reviewer.household-registration");
        await Page.OpenAsync($"/reviewer/household-registration/tasks/{household.Id}");
        await Expect(Page.Locator("[data-field=phone]")).ToContainTextAsync("13812345678");
        await DecideAsync("household-registration", caseNumber, approve: true, "同意");

        var socialSecurity = await Browser.WaitForOpenTaskAsync("social-security", caseId);
        await SignInAsAsync("reviewer.social-security");
        await Page.OpenAsync($"/reviewer/social-security/tasks/{socialSecurity.Id}");

        await Expect(Page.Locator("[data-field=idNumber]")).ToContainTextAsync("11010519491231002X");
        await Expect(Page.Locator("[data-field=newName]")).ToContainTextAsync("张明远");
        await Expect(Page.Locator("[data-field=phone]")).ToHaveCountAsync(0);
        await Expect(Page.Locator("main")).Not.ToContainTextAsync("13812345678");
    }

    [Fact]
    public async Task A_reviewer_sees_neither_the_inbox_nor_the_tasks_of_another_department()
    {
        var (caseId, _) = await Browser.FileIdentityChangeAsync();
        var household = await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        await SignInAsAsync("reviewer.education");

        await Page.OpenAsync($"/reviewer/household-registration/tasks/{household.Id}");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("任务不存在");
        await Expect(Page.Locator("main")).Not.ToContainTextAsync("张小明");
        await Page.OpenAsync("/reviewer/household-registration");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("部门不存在");
        await Page.OpenAsync("/reviewer");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("教育局 · 待办");
        await Page.OpenAsync("/supervisor");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("无权访问");
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_and_then_ends_the_case_as_rejected()
    {
        var (caseId, caseNumber) = await Browser.FileIdentityChangeAsync();
        var household = await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        await SignInAsAsync("reviewer.household-registration");
        await Page.OpenAsync($"/reviewer/household-registration/tasks/{household.Id}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "认领" }).ClickAsync();

        await Page.GetByRole(AriaRole.Button, new() { Name = "不予通过" }).ClickAsync();
        await Expect(Page.Locator("#decision-comment-error")).ToContainTextAsync("须写明理由");
        await Page.GetByLabel("意见、不予通过的理由或补正要求").FillAsync("户籍信息与申请表不一致");
        await Page.GetByRole(AriaRole.Button, new() { Name = "不予通过" }).ClickAsync();

        await Expect(Page.GetByTestId("task-state")).ToHaveTextAsync("不予通过");
        await Page.OpenAsync($"/cases/{caseId}");
        await Expect(Page.GetByTestId("case-status")).ToHaveTextAsync("不予通过");
        await Expect(Page.Locator("g.diagram-step[data-step='household']")).ToHaveAttributeAsync("data-state", "rejected");
        await Expect(Page.Locator("g.diagram-step[data-step='social-security']")).Not.ToHaveAttributeAsync("data-state", "approved");
        await Expect(Page.Locator(".case-history")).ToContainTextAsync("户籍信息与申请表不一致");
        await Page.ScreenshotAsync("case-page-rejected");
    }

    private async Task DecideAsync(string department, string caseNumber, bool approve, string comment, string? screenshot = null)
    {
        if (!Page.Url.Contains("/tasks/", StringComparison.Ordinal))
        {
            // The inbox refreshes itself every second in tests; a click that lands while the row is redrawn is tried again.
            for (var attempt = 0; attempt < 5 && !Page.Url.Contains("/tasks/", StringComparison.Ordinal); attempt++)
            {
                await Page.GetByRole(AriaRole.Button, new() { Name = $"办理 {caseNumber}" }).ClickAsync();
                await Page.WaitForURLAsync(new Regex("/tasks/"), new() { Timeout = 3_000 }).ContinueWith(_ => { });
            }
        }

        await Expect(Page).ToHaveURLAsync(new Regex("/tasks/"));
        await Expect(Page.Locator("h1")).Not.ToHaveTextAsync("任务不存在");
        await Page.GetByRole(AriaRole.Button, new() { Name = "认领" }).ClickAsync();
        await Expect(Page.GetByTestId("task-state")).ToHaveTextAsync("办理中");
        await Page.GetByLabel("意见、不予通过的理由或补正要求").FillAsync(comment);
        if (screenshot is not null)
        {
            await Page.ScreenshotAsync(screenshot);
        }

        await Page.GetByRole(AriaRole.Button, new() { Name = approve ? "同意" : "不予通过" }).ClickAsync();
        await Expect(Page.GetByTestId("task-state")).ToHaveTextAsync(approve ? "已通过" : "不予通过");
        await Expect(Page.Locator("main")).ToContainTextAsync($"reviewer.{department}");
    }
}
