using System.Globalization;
using System.Reflection;
using Microsoft.Playwright;
using OneThing.Api.Web.Shared;
using OneThing.Processing.Audit;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class AuditLogTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task The_audit_log_filtered_by_action_and_by_account_shows_the_matching_rows_and_not_the_others()
    {
        // Later than any other test's clock, so this filing is the newest of its kind and on the first page.
        Browser.Clock.Set(new DateTimeOffset(2026, 12, 1, 10, 0, 0, BrowserFixture.BeijingOffset));
        var (caseId, caseNumber) = await Browser.FileIdentityChangeAsync();
        await SignInAsAsync("supervisor");
        await Page.OpenAsync("/audit");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("审计日志");
        var entries = Page.Locator(".audit-entries");
        var filed = entries.Locator("tr", new() { HasText = caseId.ToString() });

        await ChooseAsync("受理办件");
        await SearchAsync();
        await Expect(filed).ToContainTextAsync("受理办件");
        await Expect(filed).ToContainTextAsync("窗口人员");
        await Expect(filed).ToContainTextAsync("2026-12-01 10:00");
        await Expect(filed).ToContainTextAsync(caseNumber);
        await Expect(entries.Locator(".audit-action:not([data-action='case-filed'])")).ToHaveCountAsync(0);
        await Page.ScreenshotAsync("audit-log-by-action");

        await ChooseAsync("全部操作");
        await Page.GetByLabel("账户", new() { Exact = true }).FillAsync("clerk");
        await SearchAsync();
        await Expect(filed.Locator(".audit-actor")).ToHaveTextAsync("clerk");
        await Expect(entries.Locator(".audit-actor", new() { HasNotText = "clerk" })).ToHaveCountAsync(0);

        await Page.GetByLabel("账户", new() { Exact = true }).FillAsync("supervisor");
        await ChooseAsync("登录");
        await SearchAsync();
        await Expect(entries.Locator(".audit-action[data-action='sign-in']").First).ToBeVisibleAsync();
        await Expect(entries.Locator(".audit-actor", new() { HasNotText = "supervisor" })).ToHaveCountAsync(0);
        await Expect(entries.Locator(".audit-action:not([data-action='sign-in'])")).ToHaveCountAsync(0);
        await Expect(entries).Not.ToContainTextAsync(caseId.ToString());

        // Dates are Beijing days and the last one is included.
        await Page.GetByLabel("账户", new() { Exact = true }).FillAsync("clerk");
        await ChooseAsync("受理办件");
        await Page.GetByLabel("截止日期（含当日）").FillAsync("2026-11-30");
        await SearchAsync();
        await Expect(entries).Not.ToContainTextAsync(caseId.ToString());
        await Page.GetByLabel("起始日期").FillAsync("2026-12-01");
        await Page.GetByLabel("截止日期（含当日）").FillAsync("2026-12-01");
        await SearchAsync();
        await Expect(filed).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("audit-total")).ToHaveTextAsync("共 1 条记录，最新的在前。");
    }

    [Fact]
    public async Task An_admin_reads_the_audit_log_in_English_and_a_reviewer_gets_the_not_allowed_view()
    {
        await SignInAsAsync("admin");
        await Page.OpenAsync("/audit");
        await Expect(Page.GetByRole(AriaRole.Navigation)).ToContainTextAsync("审计日志");
        await Page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Audit log");
        await Page.Locator("main[data-interactive=true]").WaitForAsync();
        await Page.GetByLabel("Account", new() { Exact = true }).FillAsync("admin");
        await ChooseAsync("Signed in");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var signIn = Page.Locator(".audit-entries tr", new() { HasText = "Signed in" }).First;
        await Expect(signIn).ToContainTextAsync("Administrator");
        await Page.GetByRole(AriaRole.Button, new() { Name = "中文" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("审计日志");

        await SignInAsAsync("reviewer.education");
        await Page.OpenAsync("/audit");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("无权访问");
        await Expect(Page.GetByRole(AriaRole.Navigation)).Not.ToContainTextAsync("审计日志");
    }

    [Fact]
    public void Every_audited_action_has_a_name_of_its_own_in_both_languages()
    {
        var actions = typeof(AuditActions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            foreach (var culture in new[] { Lang.Chinese, Lang.English })
            {
                CultureInfo.CurrentUICulture = new CultureInfo(culture);
                Assert.All(actions, action => Assert.NotEqual(action, StaffLabels.AuditAction(action)));
                Assert.Equal(actions.Count, actions.Select(StaffLabels.AuditAction).Distinct().Count());
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    private Task ChooseAsync(string action) => Page.ChooseAsync(".audit-action-filter", action);

    private Task SearchAsync() => Page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
}
