using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class GovernancePageTests(BrowserFixture browser) : BrowserTest(browser)
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

    /// <summary>Rectify, then verify by another officer; not clear, and both run again.</summary>
    private const string RectifyUntilClear =
        """
        id: rectify-until-clear
        name: { zh: 整改直至核查通过, en: Rectify until clear }
        form:
          - { key: location, label: { zh: 地点, en: Location }, type: text, required: true }
        loops:
          - { id: until-clear, steps: [rectify, verify], until: "steps.verify.outcome == 'clear'", max_rounds: 3, on_max: escalate }
        steps:
          - { id: rectify, name: { zh: 责令整改, en: Rectify }, department: law-enforcement, sla: 1 workday }
          - { id: verify, name: { zh: 现场核查, en: Verify }, department: law-enforcement, needs: [rectify], outcomes: [clear, not-clear], verifies: { step: rectify } }
        """;

    [Fact]
    public async Task The_case_page_draws_a_loop_round_its_steps_and_marks_the_round_they_are_in()
    {
        var workflows = CopyOfWorkflowsWith(("rectify-until-clear.yaml", RectifyUntilClear));
        try
        {
            await using var host = await Browser.StartHostAsync(new Dictionary<string, string?> { ["Workflows:Directory"] = workflows }, _ => { });
            var caseId = await FileAsync(host, "rectify-until-clear", new { location = "江北区孔浦街道" });
            await DecideAsync(host, caseId, "rectify", "officer.a", outcome: null);
            await DecideAsync(host, caseId, "verify", "officer.b", outcome: "not-clear");
            await Eventually.MatchAsync(() => OpenTaskAsync(host, caseId, "rectify"), task => task?.Round == 2, "the rectification of round 2");

            var page = await Browser.NewPageAsync("supervisor", host);
            try
            {
                await page.OpenAsync($"/cases/{caseId}");
                await Expect(page.Locator("g.diagram-loop[data-loop='until-clear']")).ToBeVisibleAsync();
                await Expect(page.Locator("g.diagram-loop .loop-label")).ToContainTextAsync("（至多 3 轮）");
                await Expect(page.Locator("g.diagram-step[data-step='rectify'] .step-state")).ToContainTextAsync("第 2 轮");
                await Expect(page.Locator("g.diagram-step[data-step='rectify']")).ToHaveAttributeAsync("data-state", "active");
                await Expect(page.Locator(".case-history")).ToContainTextAsync("进入下一轮");
                await page.ScreenshotAsync("case-page-loop");
            }
            finally
            {
                await page.Context.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(workflows, recursive: true);
        }
    }

    [Fact]
    public async Task The_triage_page_asks_for_at_least_one_department_and_sends_a_task_to_each_one_chosen()
    {
        var workflows = CopyOfWorkflowsWith(("mediation-triage.yaml", MediationTriage));
        try
        {
            await using var host = await Browser.StartHostAsync(new Dictionary<string, string?> { ["Workflows:Directory"] = workflows }, _ => { });
            var caseId = await FileAsync(host, "mediation-triage", new { summary = "商铺占道经营，居民多次投诉" });
            var triage = await Eventually.MatchAsync(() => TaskOfAsync(host, caseId, "community"), task => task?.State == TaskState.Open, "the triage task");

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

    internal static async Task<Guid> FileAsync(BrowserHost host, string workflowId, object values)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var form = JsonSerializer.SerializeToElement(values);
        var result = await scope.ServiceProvider.GetRequiredService<FileCase>().HandleAsync(
            new FileCaseCommand(workflowId, form, null, new AuditActor("clerk", Roles.Clerk, "127.0.0.1")), CancellationToken.None);
        Assert.Null(result.Refusal);
        return result.Value!.CaseId;
    }

    /// <summary>A reviewer of law enforcement decides the step's open task, as the task page would.</summary>
    private static async Task DecideAsync(BrowserHost host, Guid caseId, string stepId, string reviewer, string? outcome)
    {
        var task = await Eventually.MatchAsync(() => OpenTaskAsync(host, caseId, stepId), found => found is not null, $"the open {stepId} task");
        await using var scope = host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DecideTask>().HandleAsync(
            new DecideTaskCommand(task!.Id, Decision.Approve, null, Staff.ReviewerActor(task.Department, reviewer), DecisionSource.Reviewer, outcome),
            CancellationToken.None);
        Assert.Null(result.Refusal);
    }

    private static Task<DepartmentTask?> OpenTaskAsync(BrowserHost host, Guid caseId, string stepId) =>
        WithDbAsync(host, db => db.DepartmentTasks.AsNoTracking().OrderByDescending(t => t.Round)
            .FirstOrDefaultAsync(t => t.CaseId == caseId && t.StepId == stepId && t.State == TaskState.Open));

    internal static Task<DepartmentTask?> TaskOfAsync(BrowserHost host, Guid caseId, string department) =>
        WithDbAsync(host, db => db.DepartmentTasks.AsNoTracking().SingleOrDefaultAsync(t => t.CaseId == caseId && t.Department == department));

    internal static async Task<T> WithDbAsync<T>(BrowserHost host, Func<OneThingDbContext, Task<T>> query)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<OneThingDbContext>());
    }

    internal static string CopyOfWorkflowsWith((string FileName, string Yaml) extra)
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

        File.WriteAllText(Path.Combine(to, extra.FileName), extra.Yaml);
        return to;
    }
}
