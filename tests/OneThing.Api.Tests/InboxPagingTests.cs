using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.DepartmentTasks;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Engine;
using OneThing.Processing.Deadlines;

namespace OneThing.Api.Tests;

/// <summary>
/// A department inbox a page at a time: most urgent first, with the total, and filters by state, light, step and case
/// number. Hundreds of tasks are cloned in SQL from one filed case (same form, same workflow version), because filing
/// each over HTTP would take minutes and the filing is not what is tested here.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class InboxPagingTests(InboxPagingTests.MondayHost shared) : IClassFixture<InboxPagingTests.MondayHost>, IAsyncLifetime
{
    private const string Household = "household-registration";
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    private TestClock _clock = null!;
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await shared.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public sealed class MondayHost(PostgresServer postgres) : ClockedSharedHost(postgres, Monday);

    [Fact]
    public async Task Pages_hold_every_open_task_once_most_urgent_first_and_task_501_is_reachable()
    {
        var original = await FileAndWaitAsync();
        // Deadlines in a scrambled order, every 26th task without one, so the ordering is the server's, not the insertion's.
        await CloneAsync(original, 520, due: "CASE WHEN g % 26 = 0 THEN NULL ELSE t.due_at + ((g * 7919) % 520) * interval '1 minute' END");
        var reviewer = _api.Reviewer(Household);

        var pages = new List<DepartmentTaskPage>();
        for (var page = 1; page <= 3; page++)
        {
            pages.Add(await ApiClient.InboxPageAsync(reviewer, Household, $"page={page}&pageSize=200"));
        }

        var tasks = pages.SelectMany(p => p.Items).ToList();
        Assert.All(pages, p => Assert.Equal(521, p.Total));
        Assert.Equal([200, 200, 121], pages.Select(p => p.Items.Count));
        Assert.Equal(521, tasks.Select(t => t.Id).Distinct().Count());
        var keys = tasks.Select(t => (NoDeadline: t.Deadline.DueAt is null, t.Deadline.DueAt, t.CreatedAt)).ToList();
        Assert.Equal(keys.OrderBy(k => k.NoDeadline).ThenBy(k => k.DueAt).ThenBy(k => k.CreatedAt), keys);
        Assert.Equal(20, tasks.Count(t => t.Deadline.DueAt is null));
        Assert.All(tasks.TakeLast(20), t => Assert.Null(t.Deadline.DueAt));

        var page26 = await ApiClient.InboxPageAsync(reviewer, Household, "page=26&pageSize=20");
        Assert.Equal(tasks[500].Id, page26.Items[0].Id);
        Assert.Empty((await ApiClient.InboxPageAsync(reviewer, Household, "page=27&pageSize=20")).Items.Skip(1));
    }

    [Fact]
    public async Task The_light_filter_returns_exactly_the_tasks_showing_that_light_and_the_lights_add_up_to_the_total()
    {
        var original = await FileAndWaitAsync();
        var slaClock = _host.Services.GetRequiredService<SlaClock>();
        // Deadlines planned as the service plans them, from 1 to 12 work hours and 1 to 3 workdays after filing: by the
        // afternoon some have passed (red), some are near (yellow), the rest are far (green).
        var slas = Enumerable.Range(1, 12).Select(hours => $"{hours} workhours").Concat(["2 workdays", "3 workdays"]).ToList();
        for (var i = 0; i < slas.Count; i++)
        {
            Assert.True(Sla.TryParse(slas[i], out var sla, out _));
            var plan = slaClock.Plan(original.CreatedAt, sla);
            // Every third one waits for a supplement since two hours after filing: its light stands still there.
            var waiting = i % 3 == 2;
            await CloneAsync(original, 1, due: Instant(plan.DueAt), warn: Instant(plan.WarnAt), sla: $"'{slas[i]}'", from: i * 10,
                paused: waiting ? Instant(original.CreatedAt.AddHours(2)) : "NULL", state: waiting ? "'awaiting-supplement'" : "'open'", stagger: false);
        }

        await CloneAsync(original, 2, due: "NULL", warn: "NULL", sla: "NULL", from: 500);
        _clock.Set(Monday.AddHours(6));
        var reviewer = _api.Reviewer(Household);

        var all = await ApiClient.InboxPageAsync(reviewer, Household, "pageSize=200");
        var byLight = new Dictionary<string, DepartmentTaskPage>();
        foreach (var light in InboxFilter.Lights)
        {
            byLight[light] = await ApiClient.InboxPageAsync(reviewer, Household, $"light={light}&pageSize=200");
        }

        Assert.Equal(17, all.Total);
        Assert.Equal(all.Total, byLight.Values.Sum(p => p.Total));
        foreach (var (light, page) in byLight)
        {
            var showing = all.Items.Where(t => (t.Deadline.Light ?? InboxFilter.NoDeadline) == light).Select(t => t.Id).Order();
            Assert.Equal(showing, page.Items.Select(t => t.Id).Order());
            Assert.True(page.Total > 0, $"no task is {light}: the test shows nothing for that light");
        }
    }

    [Fact]
    public async Task The_state_and_case_number_filters_narrow_the_page_and_its_total()
    {
        var original = await FileAndWaitAsync();
        await CloneAsync(original, 12);
        await CloneAsync(original, 2, state: "'claimed'", from: 100);
        await CloneAsync(original, 1, state: "'approved'", from: 200);
        await CloneAsync(original, 1, state: "'dispatched'", from: 300);
        var reviewer = _api.Reviewer(Household);

        async Task<int> TotalAsync(string query) => (await ApiClient.InboxPageAsync(reviewer, Household, query)).Total;

        Assert.Equal(15, await TotalAsync(""));
        Assert.Equal(2, await TotalAsync("status=claimed"));
        Assert.Equal(1, await TotalAsync("status=approved"));
        Assert.Equal(17, await TotalAsync("status=all"));
        Assert.Equal(16, await TotalAsync("caseNumber=YJS-20991231&status=all"));
        Assert.Equal(12, await TotalAsync("caseNumber=yjs-20991231-0000"));
        var byLastDigits = await ApiClient.InboxPageAsync(reviewer, Household, "caseNumber=000007");
        Assert.Equal("YJS-20991231-000007", Assert.Single(byLastDigits.Items).CaseNumber);
        Assert.Equal(1, await TotalAsync($"caseNumber={original.CaseNumber}"));
        Assert.Equal(0, await TotalAsync("caseNumber=1231-0000"));
    }

    [Fact]
    public async Task The_step_filter_tells_apart_the_steps_one_department_handles_in_two_workflows()
    {
        const string market = "market-regulation";
        var enterprise = await _api.FileAsync("enterprise-opening", ApiClient.EnterpriseOpeningForm());
        var licence = await _api.WaitForTaskAsync(market, enterprise.Id);
        var hazard = await _api.FileAsync("hazardous-chemicals", new
        {
            enterpriseName = "宁波甬北化工物流有限公司", creditCode = "91330205MA2J0N4P6L", street = "hongtang", scenario = "storage",
            atPort = false, controlledChemical = false, riskLevel = "high",
            chemical = "液化石油气", location = "江北区洪塘街道化工仓库", hazard = "储罐区防火堤破损", contactPhone = "13712345678",
        });
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("emergency-management", hazard.Id)).Id, "ordinary-hazard"));
        var inspection = await _api.WaitForTaskAsync(market, hazard.Id);
        await CloneAsync(licence, 3);
        await CloneAsync(inspection, 5, from: 100);
        var reviewer = _api.Reviewer(market);

        var licences = await ApiClient.InboxPageAsync(reviewer, market, "step=business-licence");
        var inspections = await ApiClient.InboxPageAsync(reviewer, market, "step=market-regulation");

        Assert.Equal(4, licences.Total);
        Assert.All(licences.Items, t => Assert.Equal("business-licence", t.StepId));
        Assert.Equal(6, inspections.Total);
        Assert.All(inspections.Items, t => Assert.Equal("market-regulation", t.StepId));
        Assert.Equal(0, (await ApiClient.InboxPageAsync(reviewer, market, "step=household")).Total);
    }

    [Theory]
    [InlineData("light=blue", "light")]
    [InlineData("status=done", "status")]
    [InlineData("step=a%20b", "step")]
    [InlineData("caseNumber=YJS%25", "caseNumber")]
    [InlineData("caseNumber=YJS_2026", "caseNumber")]
    [InlineData("page=0", "page")]
    [InlineData("page=100001", "page")]
    [InlineData("pageSize=201", "pageSize")]
    public async Task Bad_paging_or_filter_input_answers_400_naming_the_parameter(string query, string parameter)
    {
        var response = await _api.Reviewer(Household).GetAsync($"/api/departments/{Household}/tasks?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(response)).GetProperty("errors").TryGetProperty(parameter, out _), query);
    }

    private async Task<DepartmentTaskResponse> FileAndWaitAsync()
    {
        var filed = await _api.FileIdentityChangeAsync();
        return await _api.WaitForTaskAsync(Household, filed.Id);
    }

    private static string Instant(DateTimeOffset at) => $"'{at.UtcDateTime:yyyy-MM-dd HH:mm:ss}+00'::timestamptz";

    /// <summary>
    /// <paramref name="copies"/> copies of the task's case (numbered YJS-20991231-…, counting from <paramref name="from"/> + 1)
    /// and of the task, created a second apart unless <paramref name="stagger"/> is false, with the deadline columns and state given as SQL over the original row t
    /// and the copy's number g.
    /// </summary>
    private Task CloneAsync(DepartmentTaskResponse task, int copies, string due = "t.due_at", string warn = "t.warn_at", string sla = "t.sla",
        string paused = "NULL", string state = "'open'", int from = 0, bool stagger = true)
    {
        // Test-made SQL fragments only, no outside input.
        var sql = $"""
            INSERT INTO cases
            SELECT (jsonb_populate_record(NULL::cases, to_jsonb(c) || jsonb_build_object(
                'id', md5('case' || g)::uuid, 'case_number', 'YJS-20991231-' || lpad(g::text, 6, '0'), 'idempotency_key', NULL))).*
            FROM cases c, generate_series({from + 1}, {from + copies}) g WHERE c.id = '{task.CaseId}';
            INSERT INTO department_tasks
            SELECT (jsonb_populate_record(NULL::department_tasks, to_jsonb(t) || jsonb_build_object(
                'id', md5('task' || g)::uuid, 'case_id', md5('case' || g)::uuid, 'created_at', t.created_at + {(stagger ? "g" : "0")} * interval '1 second',
                'due_at', {due}, 'warn_at', {warn}, 'sla', {sla}, 'paused_at', {paused}, 'state', {state},
                'ended_at', CASE WHEN {state} IN ('approved', 'rejected', 'cancelled') THEN t.created_at + interval '1 hour' END))).*
            FROM department_tasks t, generate_series({from + 1}, {from + copies}) g WHERE t.id = '{task.Id}';
            """;
        return _host.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(sql));
    }
}
