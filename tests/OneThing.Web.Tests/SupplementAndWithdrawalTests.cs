using Microsoft.Playwright;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class SupplementAndWithdrawalTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task A_reviewer_asks_for_a_supplement_the_clerk_corrects_the_form_and_the_same_task_resumes()
    {
        var (caseId, caseNumber) = await Browser.FileIdentityChangeAsync();
        var household = await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        await SignInAsAsync("reviewer.household-registration");
        await Page.OpenAsync($"/reviewer/household-registration/tasks/{household.Id}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "认领" }).ClickAsync();
        await Page.GetByLabel("意见、不予通过的理由或补正要求").FillAsync("变更后姓名与户口簿不一致，请核对");
        await Page.GetByRole(AriaRole.Button, new() { Name = "要求补正" }).ClickAsync();
        await Expect(Page.GetByTestId("task-state")).ToHaveTextAsync("待补正");

        await SignInAsAsync("clerk");
        await Page.OpenAsync("/clerk/cases");
        await Expect(Page.Locator("tr", new() { HasText = caseNumber })).ToContainTextAsync("公安户籍：待补正");
        await Page.OpenAsync($"/cases/{caseId}");
        await Expect(Page.Locator(".supplement-banner")).ToContainTextAsync("公安户籍: 变更后姓名与户口簿不一致，请核对");
        await Expect(Page.Locator("g.diagram-step[data-step='household']")).ToHaveAttributeAsync("data-state", "supplement");
        await Page.GetByRole(AriaRole.Link, new() { Name = "提交补正材料" }).ClickAsync();

        await Expect(Page.Locator("#field-newName")).ToHaveValueAsync("张明远");
        await Page.FillAndLeaveAsync("#field-newName", "张铭远");
        await Page.GetByLabel("补正说明").FillAsync("已按户口簿更正");
        await Page.ScreenshotAsync("clerk-supplement");
        await Page.GetByRole(AriaRole.Button, new() { Name = "提交补正" }).ClickAsync();

        await Expect(Page.Locator("h1")).ToHaveTextAsync($"办件 {caseNumber}");
        await Expect(Page.Locator(".supplement-banner")).ToHaveCountAsync(0);
        await Expect(Page.Locator(".case-history")).ToContainTextAsync("提交补正材料");
        await SignInAsAsync("reviewer.household-registration");
        await Page.OpenAsync($"/reviewer/household-registration/tasks/{household.Id}");
        await Expect(Page.GetByTestId("task-state")).ToHaveTextAsync("办理中");
        await Expect(Page.Locator("[data-field=newName]")).ToContainTextAsync("张铭远");
        await Expect(Page.Locator("main")).ToContainTextAsync("reviewer.household-registration");
    }

    [Fact]
    public async Task A_clerk_withdraws_a_case_with_a_reason_and_its_open_task_is_cancelled()
    {
        var (caseId, _) = await Browser.FileIdentityChangeAsync();
        await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        await SignInAsAsync("clerk");
        await Page.OpenAsync($"/cases/{caseId}");

        await Page.GetByRole(AriaRole.Button, new() { Name = "申请人撤回" }).ClickAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "确认撤回" }).ClickAsync();
        await Expect(Page.Locator("#withdraw-reason-error")).ToHaveTextAsync("请填写撤回原因。");
        await Page.GetByLabel("撤回原因").FillAsync("申请人决定暂不更名");
        await Page.GetByRole(AriaRole.Button, new() { Name = "确认撤回" }).ClickAsync();

        await Expect(Page.GetByTestId("case-status")).ToHaveTextAsync("已撤回");
        await Expect(Page.Locator("g.diagram-step[data-step='household']")).ToHaveAttributeAsync("data-state", "cancelled");
        await Expect(Page.Locator(".case-history")).ToContainTextAsync("申请人决定暂不更名");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "申请人撤回" })).ToHaveCountAsync(0);
    }
}
