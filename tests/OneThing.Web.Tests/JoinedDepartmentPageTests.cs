using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class JoinedDepartmentPageTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Handling =
        """
        id: joined-handling
        name: { zh: 占道经营处置, en: Street trading handling }
        joining: { by: [supervisor, lead-department], lead: handle }
        form:
          - { key: summary, label: { zh: 诉求摘要, en: Summary }, type: text, required: true }
        steps:
          - { id: handle, name: { zh: 执法处置, en: Enforcement }, department: law-enforcement, sla: 3 workdays, sees: [summary] }
          - { id: reply, name: { zh: 答复当事人, en: Reply }, department: community, needs: [handle] }
        """;

    [Fact]
    public async Task A_supervisor_joins_a_department_from_the_case_page_and_sees_it_in_the_diagram()
    {
        var workflows = GovernancePageTests.CopyOfWorkflowsWith(("joined-handling.yaml", Handling));
        try
        {
            await using var host = await Browser.StartHostAsync(new Dictionary<string, string?> { ["Workflows:Directory"] = workflows }, _ => { });
            var caseId = await GovernancePageTests.FileAsync(host, "joined-handling", new { summary = "商铺占道经营并售卖过期食品" });
            await Eventually.MatchAsync(() => GovernancePageTests.TaskOfAsync(host, caseId, "law-enforcement"), task => task?.State == TaskState.Open, "the handling task");

            var page = await Browser.NewPageAsync("supervisor", host);
            try
            {
                await page.OpenAsync($"/cases/{caseId}");
                await page.GetByRole(AriaRole.Button, new() { Name = "一键协同" }).ClickAsync();
                await Expect(page.Locator("#join-department-error")).ToHaveTextAsync("请选择协办部门。");
                await Expect(page.Locator("#join-reason-error")).ToBeVisibleAsync();

                await page.Locator(".join-form .rz-dropdown").ClickAsync();
                await page.GetByRole(AriaRole.Option, new() { Name = "市场监管局", Exact = true }).ClickAsync();
                await page.Locator("input[name='join-reason']").FillAsync("涉及食品安全，需市场监管协同");
                await page.GetByRole(AriaRole.Button, new() { Name = "一键协同" }).ClickAsync();

                await Expect(page.Locator(".join-done")).ToHaveTextAsync("已增加协办部门：市场监管局。");
                await Expect(page.Locator(".joined-list li[data-department='market-regulation']")).ToContainTextAsync("涉及食品安全，需市场监管协同");
                await Expect(page.Locator("g.diagram-joined[data-department='market-regulation']")).ToBeVisibleAsync();
                await Expect(page.Locator(".case-history")).ToContainTextAsync("一键协同：增加协办部门");
                await page.ScreenshotAsync("case-page-joined-department");
            }
            finally
            {
                await page.Context.DisposeAsync();
            }

            var joined = await GovernancePageTests.WithDbAsync(host, db => db.DepartmentTasks.AsNoTracking()
                .Where(t => t.CaseId == caseId && t.Department == "market-regulation").Select(t => t.Sla).ToListAsync());
            Assert.Equal(["2 workdays"], joined);
        }
        finally
        {
            Directory.Delete(workflows, recursive: true);
        }
    }
}
