using Microsoft.Playwright;

namespace OneThing.Web.Tests.Infrastructure;

public static class PageExtensions
{
    private static readonly string ScreenshotDirectory = Path.Combine(FindProjectDirectory(), "artifacts", "screenshots");

    /// <summary>Opens a page and waits until its Blazor circuit is live, so clicks and typing reach the server.</summary>
    public static async Task OpenAsync(this IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.Locator("main[data-interactive=true]").WaitForAsync();
    }

    /// <summary>A full-page screenshot under artifacts/screenshots of this test project (git-ignored), for people to look at.</summary>
    public static Task ScreenshotAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });
    }

    /// <summary>Opens a Radzen drop-down (found by <paramref name="dropdown"/>, a CSS selector) and picks the option named exactly so.</summary>
    public static async Task ChooseAsync(this IPage page, string dropdown, string option)
    {
        await page.Locator(dropdown).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    /// <summary>Types into a field and leaves it, which is when the form checks it.</summary>
    public static async Task FillAndLeaveAsync(this IPage page, string selector, string text)
    {
        await page.Locator(selector).FillAsync(text);
        await page.Locator(selector).PressAsync("Tab");
    }

    /// <summary>Fills the identity change's form (open on the page) for 张小明, everything but the application form's file.</summary>
    public static async Task FillIdentityChangeAsync(this IPage page)
    {
        await page.FillAndLeaveAsync("#field-name", "张小明");
        await page.FillAndLeaveAsync("#field-idNumber", "11010519491231002X");
        await page.FillAndLeaveAsync("#field-phone", "13812345678");
        await page.FillAndLeaveAsync("#field-newName", "张明远");
        await page.FillAndLeaveAsync("#field-reason", "父母为子女更名");
        await page.GetByRole(AriaRole.Radiogroup, new() { Name = "是否为在校学龄儿童（需同步变更学籍）" }).GetByRole(AriaRole.Radio, new() { Name = "是" }).ClickAsync();
        await page.GetByRole(AriaRole.Radiogroup, new() { Name = "名下是否有不动产" }).GetByRole(AriaRole.Radio, new() { Name = "否" }).ClickAsync();
    }

    private static string FindProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OneThing.Web.Tests.csproj")))
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
