using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Processing.Accounts;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class TriageTests(BrowserFixture browser) : BrowserTest(browser)
{
    /// <summary>The 矛调中心 intake: the community desk decides which departments act.</summary>
    private const string MediationTriage =
        """
        id: mediation-triage
        name: { zh: 矛调中心分派, en: Mediation centre triage }
        form:
          - { key: summary, label: { zh: 诉求摘要, en: Summary }, type: text, required: true }
        steps:
          - { id: assign, name: { zh: 事情归谁负责, en: Who is responsible }, kind: triage, department: community, choose_from: [law-enforcement, market-regulation, housing-fund], chosen_sla: 3 workdays, sees: [summary] }
          - { id: reply, name: { zh: 答复当事人, en: Reply }, department: community, needs: [assign], join: all-chosen }
        """;

    [Fact]
    public async Task The_triage_page_asks_for_at_least_one_department_and_sends_a_task_to_each_one_chosen()
    {
        var workflows = CopyOfWorkflowsWith(MediationTriage);
        try
        {
            await using var host = await Browser.StartHostAsync(new Dictionary<string, string?> { ["Workflows:Directory"] = workflows }, _ => { });
            var caseId = await FileAsync(host);
            var triage = await Eventually.MatchAsync(() => TaskOfAsync(host, caseId, "community"), task => task?.State == TaskStates.Open, "the triage task");

            var page = await Browser.NewPageAsync("reviewer.community", host);
            try
            {
                await page.OpenAsync($"/reviewer/community/tasks/{triage!.Id}");
                await page.GetByRole(AriaRole.Button, new() { Name = "认领" }).ClickAsync();
                await Expect(page.GetByTestId("task-state")).ToHaveTextAsync("办理中");
                await page.GetByRole(AriaRole.Button, new() { Name = "同意" }).ClickAsync();
                await Expect(page.Locator(".field-error", new() { HasText = "请至少选择一个承办部门。" })).ToBeVisibleAsync();

                await page.GetByText("综合行政执法局", new() { Exact = true }).ClickAsync();
                await page.GetByText("市场监管局", new() { Exact = true }).ClickAsync();
                await page.ScreenshotAsync("reviewer-triage");
                await page.GetByRole(AriaRole.Button, new() { Name = "同意" }).ClickAsync();
                await Expect(page.Locator("main")).ToContainTextAsync("已分派：综合行政执法局、市场监管局。");
            }
            finally
            {
                await page.Context.DisposeAsync();
            }

            var chosen = await Eventually.MatchAsync(
                () => WithDbAsync(host, db => db.DepartmentTasks.Where(t => t.CaseId == caseId && t.Chosen).OrderBy(t => t.Department).Select(t => t.Department).ToListAsync()),
                departments => departments.Count == 2, "a task for each chosen department");
            Assert.Equal(["law-enforcement", "market-regulation"], chosen);
        }
        finally
        {
            Directory.Delete(workflows, recursive: true);
        }
    }

    private static async Task<Guid> FileAsync(BrowserHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var form = JsonSerializer.SerializeToElement(new { summary = "商铺占道经营，居民多次投诉" });
        var result = await scope.ServiceProvider.GetRequiredService<FileCase>().HandleAsync(
            new FileCaseCommand("mediation-triage", form, null, new AuditActor("clerk", Roles.Clerk, "127.0.0.1")), CancellationToken.None);
        return Assert.IsType<FileCaseResult.Filed>(result).CaseId;
    }

    private static Task<DepartmentTask?> TaskOfAsync(BrowserHost host, Guid caseId, string department) =>
        WithDbAsync(host, db => db.DepartmentTasks.AsNoTracking().SingleOrDefaultAsync(t => t.CaseId == caseId && t.Department == department));

    private static async Task<T> WithDbAsync<T>(BrowserHost host, Func<OneThingDbContext, Task<T>> query)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<OneThingDbContext>());
    }

    private static string CopyOfWorkflowsWith(string extra)
    {
        var source = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(source.FullName, "workflows", "departments.yaml")))
        {
            source = source.Parent ?? throw new InvalidOperationException("No workflows/ folder above the test binaries");
        }

        var from = Path.Combine(source.FullName, "workflows");
        var to = Directory.CreateTempSubdirectory("onething-web-workflows-").FullName;
        foreach (var path in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }

        File.WriteAllText(Path.Combine(to, "mediation-triage.yaml"), extra);
        return to;
    }
}
