using System.Net;
using System.Net.Http.Json;
using OneThing.Api.Supervision;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class SupervisionTests(SupervisionTests.MondayHost shared) : IClassFixture<SupervisionTests.MondayHost>, IAsyncLifetime
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, Beijing);
    private TestClock _clock = null!;
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await shared.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public sealed class MondayHost(PostgresServer postgres) : ClockedSharedHost(postgres, Monday, CatalogueHost.SweepByHand);

    private HttpClient Supervisor => _api.As(Staff.Supervisor);

    private Task<T?> GetAsync<T>(string path) => Supervisor.GetFromJsonAsync<T>(path, OneThingJson.Options);

    [Fact]
    public async Task The_overview_counts_open_tasks_by_light_department_and_workflow()
    {
        var late = await _api.FileIdentityChangeAsync();
        await _api.WaitForTaskAsync("household-registration", late.Id);
        // household has 1 workday: due Tuesday 17:30. Filed later, the second case is still green on Tuesday afternoon.
        _clock.Set(new DateTimeOffset(2026, 11, 24, 16, 0, 0, Beijing));
        var fresh = await _api.FileIdentityChangeAsync();
        await _api.WaitForTaskAsync("household-registration", fresh.Id);

        var overview = await GetAsync<SupervisionOverview>("/api/supervision/overview");

        Assert.Equal(2, overview!.OpenTasks);
        Assert.Equal(2, overview.OpenCases);
        Assert.Equal(new LightCounts(1, 1, 0, 0), overview.Tasks);
        Assert.Equal(new LightCounts(1, 1, 0, 0), overview.ByDepartment.Single(d => d.Key == "household-registration").Counts);
        Assert.Equal(new LightCounts(1, 1, 0, 0), overview.ByWorkflow.Single(w => w.Key == "identity-change").Counts);
    }

    [Fact]
    public async Task Breaches_are_listed_most_overdue_first_and_department_statistics_show_handling_times()
    {
        var first = await _api.FileIdentityChangeAsync();
        _clock.Set(new DateTimeOffset(2026, 11, 24, 11, 0, 0, Beijing));
        var second = await _api.FileIdentityChangeAsync();
        var handled = await _api.FileIdentityChangeAsync();
        await _api.WaitForTaskAsync("household-registration", first.Id);
        await _api.WaitForTaskAsync("household-registration", second.Id);
        _clock.Set(new DateTimeOffset(2026, 11, 24, 14, 30, 0, Beijing));
        await _api.ApproveAsync((await _api.WaitForTaskAsync("household-registration", handled.Id)).Id);

        _clock.Set(new DateTimeOffset(2026, 11, 27, 10, 0, 0, Beijing));
        var breaches = await GetAsync<BreachPage>("/api/supervision/breaches?department=household-registration");
        var allBreaches = await GetAsync<BreachPage>("/api/supervision/breaches");
        var departments = await GetAsync<List<DepartmentStatistics>>("/api/supervision/departments");

        Assert.Equal(2, breaches!.Total);
        Assert.Equal([first.Id, second.Id], breaches.Items.Select(b => b.CaseId));
        Assert.True(breaches.Items[0].OverdueWorkingHours > breaches.Items[1].OverdueWorkingHours, $"{breaches.Items[0].OverdueWorkingHours} vs {breaches.Items[1].OverdueWorkingHours}");
        Assert.Contains(allBreaches!.Items, b => b.Department == "social-security" && b.CaseId == handled.Id);
        Assert.True(allBreaches.Items.Zip(allBreaches.Items.Skip(1)).All(pair => pair.First.DueAt <= pair.Second.DueAt));
        var household = departments!.Single(d => d.Department == "household-registration");
        Assert.Equal(2, household.Open);
        Assert.Equal(2, household.Overdue);
        Assert.Equal(1, household.Handled);
        // Filed at 11:00, approved at 14:30: one hour before lunch and one after.
        Assert.Equal(2.0, household.MedianHandlingWorkingHours);
    }

    [Fact]
    public async Task Urging_a_case_tells_each_department_with_an_open_task_and_is_recorded()
    {
        var filed = await _api.FileIdentityChangeAsync();
        await _api.WaitForTaskAsync("household-registration", filed.Id);

        var response = await Supervisor.PostAsJsonAsync($"/api/cases/{filed.Id}/urge", new { message = "群众已多次来电，请今日办结" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<UrgeResponse>(OneThingJson.Options))!.UrgedTasks);
        var urged = (await _api.GetCaseAsync(filed.Id)).History.Single(h => h.Type == "task-urged");
        Assert.Equal("household", urged.StepId);
        Assert.Equal(Staff.Supervisor, urged.Actor);
        Assert.Equal(HttpStatusCode.NotFound, (await Supervisor.PostAsJsonAsync($"/api/cases/{Guid.NewGuid()}/urge", new { })).StatusCode);
    }

    [Fact]
    public async Task Reassigning_hands_the_task_to_another_reviewer_of_its_department_who_alone_can_then_decide_it()
    {
        await _api.CreateAccountAsync("wang.household", "reviewer", "household-registration");
        await _api.CreateAccountAsync("zhao.education", "reviewer", "education");
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var household = _api.Reviewer("household-registration");
        Assert.Equal(HttpStatusCode.OK, (await household.PostAsync($"/api/tasks/{task.Id}/claim", null)).StatusCode);

        var toOtherDepartment = await Supervisor.PostAsJsonAsync($"/api/tasks/{task.Id}/reassign", new { assignee = "zhao.education" });
        var reassigned = await Supervisor.PostAsJsonAsync($"/api/tasks/{task.Id}/reassign", new { assignee = "wang.household" });
        var inbox = await _api.InboxAsync("household-registration");
        var byFormerAssignee = await household.PostAsJsonAsync($"/api/tasks/{task.Id}/approve", new { comment = "同意" });
        var byNewAssignee = await _api.As("wang.household").PostAsJsonAsync($"/api/tasks/{task.Id}/approve", new { comment = "同意" });
        var afterEnd = await Supervisor.PostAsJsonAsync($"/api/tasks/{task.Id}/reassign", new { assignee = "reviewer.household-registration" });
        var missingAssignee = await Supervisor.PostAsJsonAsync($"/api/tasks/{task.Id}/reassign", new { });

        Assert.Equal(HttpStatusCode.BadRequest, toOtherDepartment.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reassigned.StatusCode);
        Assert.Equal("wang.household", inbox.Single(t => t.Id == task.Id).Assignee);
        Assert.Equal(HttpStatusCode.Conflict, byFormerAssignee.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byNewAssignee.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, afterEnd.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missingAssignee.StatusCode);
        var history = (await _api.GetCaseAsync(filed.Id)).History;
        Assert.Contains(history, h => h.Type == "task-reassigned" && h.Detail == "reviewer.household-registration → wang.household" && h.Actor == Staff.Supervisor);
        Assert.Contains(history, h => h.Type == "task-approved" && h.Actor == "wang.household");
    }
}
