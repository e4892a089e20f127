using Microsoft.Playwright;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class ExtensionPageTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task A_reviewer_asks_for_an_extension_with_a_reason_and_a_supervisor_approves_it_and_the_case_history_says_so()
    {
        var (caseId, caseNumber) = await Browser.FileIdentityChangeAsync();
        var task = await Browser.WaitForOpenTaskAsync("household-registration", caseId);
        await SignInAsAsync("reviewer.household-registration");
        await Page.OpenAsync($"/reviewer/household-registration/tasks/{task.Id}");

        await Page.Locator("input[name=extension-days]").FillAsync("3");
        await Page.GetByRole(AriaRole.Button, new() { Name = "提交延期申请" }).ClickAsync();
        await Expect(Page.Locator(".extension-request [role=alert]")).ToContainTextAsync("请写明延期理由");

        await Page.Locator("textarea[name=extension-reason]").FillAsync("需现场核查，申请延期");
        await Page.GetByRole(AriaRole.Button, new() { Name = "提交延期申请" }).ClickAsync();
        await Expect(Page.Locator(".rz-alert")).ToContainTextAsync("已提交延期申请（3 个工作日）");

        await SignInAsAsync("supervisor");
        await Page.OpenAsync("/supervisor/extensions");
        var row = Page.Locator("tr", new() { HasText = caseNumber });
        await Expect(row).ToContainTextAsync("需现场核查，申请延期");
        await Expect(row).ToContainTextAsync("公安");
        await row.GetByRole(AriaRole.Button, new() { Name = "不予延期" }).ClickAsync();
        await Expect(Page.Locator(".rz-alert")).ToContainTextAsync("不予延期须写明理由");

        await row.GetByRole(AriaRole.Button, new() { Name = "批准" }).ClickAsync();
        await Expect(Page.Locator(".rz-alert")).ToContainTextAsync($"已批准 {caseNumber} 延期 3 个工作日");
        await Expect(Page.Locator("tr", new() { HasText = caseNumber })).ToHaveCountAsync(0);

        await Page.OpenAsync($"/cases/{caseId}");
        await Expect(Page.Locator(".case-history")).ToContainTextAsync("申请延期");
        await Expect(Page.Locator(".case-history")).ToContainTextAsync("批准延期");
    }
}
