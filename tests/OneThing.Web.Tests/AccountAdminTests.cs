using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Processing.Accounts;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class AccountAdminTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string NewPassword = "Changed-Passw0rd-2026";

    /// <summary>Accounts outlive the tests' data resets, so each test names its own.</summary>
    private static string UniqueName(string role) => $"{role}.{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task An_admin_creates_a_reviewer_of_a_department_and_moving_them_to_another_department_moves_their_inbox()
    {
        var reviewer = UniqueName("reviewer");
        await SignInAsAsync("admin");
        await Page.OpenAsync("/admin/accounts");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("账户管理");
        await CreateAsync(reviewer, "部门审批人员", department: "教育局");
        var row = Page.Locator(".accounts tr", new() { HasText = reviewer });
        await Expect(row.Locator(".account-department")).ToHaveTextAsync("教育局");
        await Expect(row.Locator(".account-state")).ToHaveTextAsync("正常");
        await Page.ScreenshotAsync("account-created");

        var own = await Browser.NewPageAsync();
        await SignInAsync(own, reviewer, Staff.DemoPassword);
        await Expect(own.Locator("h1")).ToHaveTextAsync("教育局 · 待办");

        await Page.GetByRole(AriaRole.Button, new() { Name = $"变更岗位 {reviewer}" }).ClickAsync();
        await Page.ChooseAsync(".change-department", "人力社保局（社保）");
        await Page.GetByRole(AriaRole.Button, new() { Name = "确认变更" }).ClickAsync();
        await Expect(Page.GetByTestId("account-message")).ToContainTextAsync($"已变更 {reviewer} 的岗位");
        await Expect(row.Locator(".account-department")).ToHaveTextAsync("人力社保局（社保）");

        await own.Context.ClearCookiesAsync();
        await SignInAsync(own, reviewer, Staff.DemoPassword);
        await Expect(own.Locator("h1")).ToHaveTextAsync("人力社保局（社保） · 待办");
        await own.OpenAsync("/reviewer/education");
        await Expect(own.Locator("main")).Not.ToContainTextAsync("教育局 · 待办");
        await own.Context.DisposeAsync();
    }

    [Fact]
    public async Task An_admin_unlocks_a_locked_account_which_can_then_sign_in()
    {
        var clerk = UniqueName("clerk");
        await SignInAsAsync("admin");
        await Page.OpenAsync("/admin/accounts");
        await CreateAsync(clerk, "窗口人员");
        await Browser.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<StaffAccount>>();
            return await users.SetLockoutEndDateAsync((await users.FindByNameAsync(clerk))!, DateTimeOffset.UtcNow.AddMinutes(15));
        });
        var own = await Browser.NewPageAsync();
        await SignInAsync(own, clerk, Staff.DemoPassword);
        await Expect(own.GetByRole(AriaRole.Alert)).ToContainTextAsync("账户因多次登录失败已被锁定");

        await Page.OpenAsync("/admin/accounts");
        var row = Page.Locator(".accounts tr", new() { HasText = clerk });
        await Expect(row.Locator(".account-state")).ToContainTextAsync("已锁定至");
        await Page.GetByRole(AriaRole.Button, new() { Name = $"解锁 {clerk}" }).ClickAsync();
        await Expect(row.Locator(".account-state")).ToHaveTextAsync("正常");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"解锁 {clerk}" })).ToHaveCountAsync(0);

        await SignInAsync(own, clerk, Staff.DemoPassword);
        await Expect(own.GetByTestId("signed-in")).ToHaveTextAsync(clerk);
        await own.Context.DisposeAsync();
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_and_after_a_password_reset_only_the_new_password_works()
    {
        var clerk = UniqueName("clerk");
        await SignInAsAsync("admin");
        await Page.OpenAsync("/admin/accounts");
        await CreateAsync(clerk, "窗口人员", hall: "江北区行政服务中心");
        var row = Page.Locator(".accounts tr", new() { HasText = clerk });
        await Expect(row).ToContainTextAsync("江北区行政服务中心");

        await Page.GetByRole(AriaRole.Button, new() { Name = $"停用 {clerk}" }).ClickAsync();
        await Expect(row.Locator(".account-state")).ToHaveTextAsync("已停用");
        var own = await Browser.NewPageAsync();
        await SignInAsync(own, clerk, Staff.DemoPassword);
        await Expect(own.GetByRole(AriaRole.Alert)).ToHaveTextAsync("账户已停用，请联系管理员。");

        await Page.GetByRole(AriaRole.Button, new() { Name = $"启用 {clerk}" }).ClickAsync();
        await Expect(row.Locator(".account-state")).ToHaveTextAsync("正常");
        await Page.GetByRole(AriaRole.Button, new() { Name = $"重置密码 {clerk}" }).ClickAsync();
        await Page.GetByLabel("新密码").FillAsync(NewPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "确认重置" }).ClickAsync();
        await Expect(Page.GetByTestId("account-message")).ToContainTextAsync($"已重置 {clerk} 的密码");

        await SignInAsync(own, clerk, Staff.DemoPassword);
        await Expect(own.GetByRole(AriaRole.Alert)).ToHaveTextAsync("用户名或密码错误。");
        await SignInAsync(own, clerk, NewPassword);
        await Expect(own.GetByTestId("signed-in")).ToHaveTextAsync(clerk);
        await own.Context.DisposeAsync();

        // An admin may not lock themselves out: the refusal is shown, the account stays as it was.
        await Page.GetByRole(AriaRole.Button, new() { Name = "停用 admin", Exact = true }).ClickAsync();
        await Expect(Page.GetByTestId("account-message")).ToContainTextAsync("管理员不能停用自己的账户");
        await Expect(Page.Locator(".accounts tr:has(.account-name:text-is('admin')) .account-state")).ToHaveTextAsync("正常");
    }

    [Fact]
    public async Task A_supervisor_gets_the_not_allowed_view_of_account_administration()
    {
        await SignInAsAsync("supervisor");
        await Page.OpenAsync("/admin/accounts");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("无权访问");
        await Expect(Page.GetByRole(AriaRole.Navigation)).Not.ToContainTextAsync("账户管理");
    }

    private async Task CreateAsync(string userName, string role, string? department = null, string? hall = null)
    {
        await Page.GetByLabel("用户名").FillAsync(userName);
        await Page.GetByLabel("初始密码").FillAsync(Staff.DemoPassword);
        await Page.ChooseAsync(".new-role", role);
        if (department is not null)
        {
            await Page.ChooseAsync(".new-department", department);
        }

        if (hall is not null)
        {
            await Page.GetByLabel("服务大厅（可不填）").FillAsync(hall);
        }

        await Page.GetByRole(AriaRole.Button, new() { Name = "创建账户" }).ClickAsync();
        await Expect(Page.GetByTestId("account-message")).ToContainTextAsync($"已创建账户 {userName}。");
    }

    private static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync("/signin");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
    }
}
