using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class ClerkTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task A_clerk_finds_the_identity_change_by_searching_in_Chinese_files_it_and_gets_a_receipt_with_the_case_number()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/clerk");
        await Page.GetByLabel("搜索事项").FillAsync("身份");
        await Expect(Page.Locator(".catalogue li")).ToHaveCountAsync(1);
        await Expect(Page.Locator(".catalogue")).ToContainTextAsync("身份信息连锁变更");
        await Page.ScreenshotAsync("clerk-catalogue");

        await Page.GetByRole(AriaRole.Button, new() { Name = "办理 身份信息连锁变更" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("身份信息连锁变更");
        await Page.FillIdentityChangeAsync();
        await Page.Locator("#field-applicationForm").SetInputFilesAsync(new FilePayload
        {
            Name = "联办申请表.pdf",
            MimeType = "application/pdf",
            Buffer = "%PDF-1.4 joint application"u8.ToArray(),
        });
        await Expect(Page.Locator(".file-chosen")).ToContainTextAsync("联办申请表.pdf");
        await Page.ScreenshotAsync("clerk-form");
        await Page.GetByRole(AriaRole.Button, new() { Name = "提交受理" }).ClickAsync();

        await Expect(Page.Locator("h1")).ToHaveTextAsync("“一件事”联办受理回执");
        await Expect(Page.GetByTestId("case-number")).ToHaveTextAsync(new Regex(@"^YJS-20261123-\d{6}$"));
        var caseNumber = await Page.GetByTestId("case-number").InnerTextAsync();
        await Expect(Page.Locator(".receipt")).ToContainTextAsync("张**");
        await Expect(Page.Locator(".receipt")).Not.ToContainTextAsync("张小明");
        await Expect(Page.Locator(".next-steps")).ToContainTextAsync("公安户籍：户籍姓名变更");
        await Expect(Page.Locator(".next-steps")).ToContainTextAsync("教育局");
        await Expect(Page.Locator(".receipt")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("无需办理：.*住房公积金.*不动产登记中心"));
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "打印回执" })).ToBeVisibleAsync();
        await Page.ScreenshotAsync("clerk-receipt");

        await Page.OpenAsync("/clerk/cases");
        var row = Page.Locator("tr", new() { HasText = caseNumber });
        await Expect(row).ToContainTextAsync("办理中");
        await Expect(row).ToContainTextAsync("公安户籍：办理中");
        await Expect(row).ToContainTextAsync("医疗保障局：等待前序");
        await Expect(row).ToContainTextAsync("教育局：等待前序");
        await Page.ScreenshotAsync("clerk-my-cases");
    }

    [Fact]
    public async Task The_form_shows_a_wrong_ID_number_check_digit_and_missing_fields_inline_and_files_nothing()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/clerk/file/identity-change");

        await Page.FillAndLeaveAsync("#field-idNumber", "110105194912310021");
        await Expect(Page.Locator("#field-idNumber-error")).ToHaveTextAsync("身份证号码校验位不正确");
        await Expect(Page.Locator("#field-idNumber")).ToHaveAttributeAsync("aria-invalid", "true");
        await Page.FillAndLeaveAsync("#field-phone", "1381234");
        await Expect(Page.Locator("#field-phone-error")).ToContainTextAsync("手机号码应为11位中国大陆手机号");
        await Page.GetByRole(AriaRole.Button, new() { Name = "提交受理" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "表单有" })).ToContainTextAsync("请查看标红的项目");
        await Expect(Page.Locator("#field-name-error")).ToHaveTextAsync("此项为必填项");
        await Expect(Page.Locator("#field-hasSchoolAgeChild-error")).ToHaveTextAsync("此项为必填项");
        await Page.ScreenshotAsync("clerk-form-errors");

        await Page.FillAndLeaveAsync("#field-idNumber", "11010519491231002x");
        await Expect(Page.Locator("#field-idNumber-error")).ToHaveCountAsync(0);
        Assert.Equal(0, await Browser.WithScopeAsync(services =>
            Task.FromResult(services.GetRequiredService<OneThing.Processing.Persistence.OneThingDbContext>().Cases.Count())));
    }
}
