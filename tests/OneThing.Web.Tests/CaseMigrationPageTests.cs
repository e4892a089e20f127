using Microsoft.Playwright;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class CaseMigrationPageTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task An_admin_is_told_why_a_mapping_is_wrong_dry_runs_the_move_to_the_new_version_and_moves_the_running_case()
    {
        using var workflows = new WorkflowFolder();
        var settings = new Dictionary<string, string?> { ["Workflows:Directory"] = workflows.Path };
        var database = await Browser.CreateDatabaseAsync();
        await using (var first = await Browser.StartHostAsync(settings, _ => { }, database))
        {
            await Browser.FileIdentityChangeAsync(host: first);
        }

        await workflows.AddArchiveStepToIdentityChangeAsync();
        await using var second = await Browser.StartHostAsync(settings, _ => { }, database);
        var page = await Browser.NewPageAsync("admin", second);
        try
        {
            await page.OpenAsync("/workflows/identity-change");
            await page.GetByRole(AriaRole.Link, new() { Name = "迁移运行中的办件" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("身份信息连锁变更 · 迁移运行中的办件");

            await page.Locator("#step-mapping").FillAsync("household=no-such-step");
            await page.GetByRole(AriaRole.Button, new() { Name = "预演" }).ClickAsync();
            await Expect(page.Locator(".migration-plan [role=alert]")).ToContainTextAsync("目标版本无此环节");
            await Expect(page.GetByTestId("migration-summary")).ToHaveCountAsync(0);

            await page.Locator("#step-mapping").FillAsync("");
            await page.GetByRole(AriaRole.Button, new() { Name = "预演" }).ClickAsync();
            await Expect(page.GetByTestId("migration-summary")).ToHaveTextAsync("预演：1 件可迁移，0 件不能迁移。");
            await page.GetByRole(AriaRole.Button, new() { Name = "迁移可迁移的 1 件" }).ClickAsync();
            await Expect(page.GetByTestId("migration-summary")).ToHaveTextAsync("已迁移 1 件，0 件未迁移。");
            await Expect(page.Locator(".migration-cases tbody tr").First).ToContainTextAsync("已迁移");
            await page.ScreenshotAsync("case-migration");

            await page.OpenAsync("/workflows/identity-change");
            var versions = page.Locator(".workflow-versions tbody tr");
            await Expect(versions.Nth(0).Locator(".version-cases")).ToHaveTextAsync("0");
            await Expect(versions.Nth(1).Locator(".version-cases")).ToHaveTextAsync("1");
        }
        finally
        {
            await page.Context.DisposeAsync();
        }
    }
}
