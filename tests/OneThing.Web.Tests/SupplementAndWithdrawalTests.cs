using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Processing.Accounts;
using OneThing.Processing.DepartmentTasks;
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

    [Fact]
    public async Task A_clerk_of_the_same_hall_sees_the_personal_fields_masked_and_read_only_and_changes_only_the_rest()
    {
        const string colleague = "clerk.same-hall";
        await EnsureClerkAsync(colleague, "demo-hall");
        var (caseId, caseNumber) = await Browser.FileIdentityChangeAsync();
        var household = await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        await Browser.WithScopeAsync(services => services.GetRequiredService<RequestSupplement>().HandleAsync(household.Id, "请补充更名原因",
            Staff.ReviewerActor("household-registration"), CancellationToken.None));

        await SignInAsAsync(colleague);
        await Page.OpenAsync($"/clerk/cases/{caseId}/supplement");

        await Expect(Page.Locator(".masked-fields [data-field=name]")).ToHaveTextAsync("张**");
        await Expect(Page.Locator("#field-name")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#field-newName")).ToHaveCountAsync(0);
        await Page.FillAndLeaveAsync("#field-reason", "随父姓");
        await Page.GetByRole(AriaRole.Button, new() { Name = "提交补正" }).ClickAsync();

        await Expect(Page.Locator("h1")).ToHaveTextAsync($"办件 {caseNumber}");
        var form = await Browser.WithScopeAsync(services => Task.FromResult(
            services.GetRequiredService<OneThing.Processing.Persistence.OneThingDbContext>().Cases.Single(c => c.Id == caseId).Form));
        Assert.Contains("张小明", form);
        Assert.Contains("张明远", form);
        Assert.Contains("随父姓", form);
    }

    private async Task EnsureClerkAsync(string userName, string hall) =>
        await Browser.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<StaffAccount>>();
            if (await users.FindByNameAsync(userName) is null)
            {
                var account = new StaffAccount { UserName = userName, Hall = hall };
                Assert.True((await users.CreateAsync(account, Staff.DemoPassword)).Succeeded);
                Assert.True((await users.AddToRoleAsync(account, Roles.Clerk)).Succeeded);
            }

            return 0;
        });
}
