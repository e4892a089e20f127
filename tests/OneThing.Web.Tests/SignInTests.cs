using Microsoft.Playwright;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class SignInTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Someone_not_signed_in_is_sent_to_the_sign_in_page_and_after_signing_in_comes_back()
    {
        await Page.GotoAsync("/supervisor");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl=%2Fsupervisor"));
        await Expect(Page.Locator("main")).Not.ToContainTextAsync("超期清单");

        await Page.GetByLabel("用户名").FillAsync("supervisor");
        await Page.GetByLabel("密码").FillAsync("wrong-password-1");
        await Page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("用户名或密码错误。");
        await Page.ScreenshotAsync("sign-in-error");

        await Page.GetByLabel("用户名").FillAsync("supervisor");
        await Page.GetByLabel("密码").FillAsync(Staff.DemoPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("督办中心");
        await Expect(Page.GetByTestId("signed-in")).ToHaveTextAsync("supervisor");

        await Page.GetByRole(AriaRole.Button, new() { Name = "退出" }).ClickAsync();
        Browser.ForgetSignIn("supervisor");
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin$"));
    }

    [Fact]
    public async Task A_clerk_sees_only_the_clerks_menu_and_cannot_open_the_supervision_dashboard()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/clerk");

        await Expect(Page.GetByRole(AriaRole.Navigation)).ToContainTextAsync("窗口受理");
        await Expect(Page.GetByRole(AriaRole.Navigation)).Not.ToContainTextAsync("督办中心");
        await Page.OpenAsync("/supervisor");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("无权访问");
    }
}
