using Microsoft.Playwright;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class WorkflowVersionPageTests(BrowserFixture browser) : BrowserTest(browser)
{
    [Fact]
    public async Task The_versions_of_a_changed_workflow_are_listed_and_each_shows_its_own_diagram()
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
        var page = await Browser.NewPageAsync("supervisor", second);
        try
        {
            await page.OpenAsync("/workflows");
            await page.GetByRole(AriaRole.Link, new() { Name = "身份信息连锁变更" }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync("身份信息连锁变更 · 流程版本");
            var versions = page.Locator(".workflow-versions tbody tr");
            await Expect(versions).ToHaveCountAsync(2);
            await Expect(versions.Nth(0)).ToContainTextAsync("v1");
            await Expect(versions.Nth(0).Locator(".version-cases")).ToHaveTextAsync("1");
            await Expect(versions.Nth(1)).ToContainTextAsync("v2");
            await Expect(versions.Nth(1)).ToContainTextAsync("当前版本");
            await Expect(versions.Nth(1).Locator(".version-cases")).ToHaveTextAsync("0");

            await Expect(page.GetByTestId("shown-version")).ToHaveTextAsync("v2 办理流程");
            await Expect(page.Locator("g.diagram-step[data-step='archive']")).ToContainTextAsync("民政档案更新");
            await Expect(page.Locator("g.diagram-step[data-step='household']")).ToContainTextAsync("人工审批");
            await Expect(page.Locator(".version-steps tbody tr").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^户籍姓名变更.*1 个工作日$"));
            await page.ScreenshotAsync("workflow-versions");

            await page.GetByRole(AriaRole.Link, new() { Name = "查看 v1 流程图" }).ClickAsync();
            await Expect(page.GetByTestId("shown-version")).ToHaveTextAsync("v1 办理流程");
            await Expect(page.Locator("g.diagram-step[data-step='household']")).ToBeVisibleAsync();
            await Expect(page.Locator("g.diagram-step[data-step='archive']")).ToHaveCountAsync(0);
            await Expect(page.Locator(".version-steps")).Not.ToContainTextAsync("民政档案更新");
        }
        finally
        {
            await page.Context.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_clerk_gets_the_not_allowed_view_of_the_workflow_versions()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/workflows/identity-change");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("无权访问");
        await Expect(Page.GetByRole(AriaRole.Navigation)).Not.ToContainTextAsync("流程版本");
    }

    [Fact]
    public async Task An_admin_reads_the_workflow_versions_in_English()
    {
        await SignInAsAsync("admin");
        await Page.OpenAsync("/workflows/identity-change");
        await Page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(Page.GetByTestId("shown-version")).ToHaveTextAsync("Workflow of v1");
        await Expect(Page.Locator("g.diagram-step[data-step='household']")).ToContainTextAsync("Reviewed by staff");
    }
}
