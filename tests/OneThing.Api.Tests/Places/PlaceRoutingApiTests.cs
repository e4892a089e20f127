using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Places;

/// <summary>Routing by place (块) over HTTP: tasks go to the inbox of the grid or village of the case, and only its reviewers see them.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class PlaceRoutingApiTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Event = "water-meter-alert";
    private const string Grid = "yongjiang-waicao-02", OtherGrid = "yongjiang-waicao-01", Village = "yongjiang-waicao";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync() => (_host, _api, _) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;


    [Fact]
    public async Task A_water_alert_goes_to_the_inbox_of_the_homes_grid_and_its_follow_up_to_the_village_that_grid_lies_in()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportWaterAlertAsync(grid: Grid), HttpStatusCode.Created);
        var visit = await _api.WaitForTaskAsync(Grid, opened.Id);

        var step = ApiClient.Step(await _api.GetCaseAsync(opened.Id), "visit");
        Assert.Equal(Grid, step.Department);
        Assert.Equal("外漕村第2网格", step.DepartmentName!.Zh);
        Assert.Contains((await _api.GetCaseAsync(opened.Id)).History,
            h => h.Type == "task-dispatched" && h.StepId == "visit" && h.Detail == $"{Grid} (grid of grid)");
        Assert.Empty(await _api.InboxAsync("grid-worker"));

        var otherGrid = _api.Reviewer(OtherGrid);
        Assert.Equal(HttpStatusCode.NotFound, (await otherGrid.GetAsync($"/api/departments/{Grid}/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherGrid.PostAsJsonAsync($"/api/tasks/{visit.Id}/approve", new { outcome = "safe" })).StatusCode);
        Assert.Empty(await _api.InboxAsync(OtherGrid));

        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(visit.Id, "needs-help"));
        var followUp = await _api.WaitForTaskAsync(Village, opened.Id);
        Assert.Equal("community", followUp.StepId);
        Assert.Equal(Village, ApiClient.Step(await _api.GetCaseAsync(opened.Id), "community").Department);
    }

    [Fact]
    public async Task An_elder_enrolled_with_a_grid_no_unit_covers_is_refused_naming_the_field_so_no_alert_can_open_a_case_for_it()
    {
        var admin = _api.As(Staff.Admin);
        var refused = await admin.PostAsJsonAsync("/api/elder-register",
            new { meterId = "WM-1", name = "洪阿婆", address = "外漕村12号", grid = "atlantis-01", familyPhone = "13512345678" });
        var village = await admin.PostAsJsonAsync("/api/elder-register",
            new { meterId = "WM-2", name = "洪阿婆", address = "外漕村12号", grid = Village, familyPhone = "13512345678" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var errors = (await ApiClient.ProblemAsync(refused)).GetProperty("errors");
        Assert.Contains("atlantis-01", errors.GetProperty("form.grid")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, village.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ReportAsync(Event, ApiClient.WaterAlert("WM-1"))).StatusCode);
        Assert.Equal(0, await _host.WithDbAsync(db => Task.FromResult(db.Cases.Count())));
    }

    [Fact]
    public async Task An_admin_binds_a_reviewer_to_a_grid_and_that_reviewer_works_the_grids_inbox()
    {
        await _api.CreateAccountAsync("duty.waicao", "reviewer", Grid);
        var unknown = await _api.As(Staff.Admin).PostAsJsonAsync("/api/accounts",
            new { userName = "duty.nowhere", password = Staff.DemoPassword, role = "reviewer", department = "nowhere-01" });
        var opened = await ApiClient.CaseOf(await _api.ReportWaterAlertAsync(grid: Grid), HttpStatusCode.Created);
        var visit = await _api.WaitForTaskAsync(Grid, opened.Id);

        var duty = _api.As("duty.waicao");
        var inbox = await duty.GetFromJsonAsync<JsonElement>($"/api/departments/{Grid}/tasks");
        var approved = await duty.PostAsJsonAsync($"/api/tasks/{visit.Id}/approve", new { comment = "老人平安", outcome = "safe" });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(unknown)).GetProperty("errors").TryGetProperty("department", out _));
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), task => task.GetProperty("id").GetGuid() == visit.Id);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }

    [Fact]
    public async Task Supervisors_narrow_the_overview_the_breaches_and_the_department_figures_to_one_street()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportWaterAlertAsync(grid: Grid), HttpStatusCode.Created);
        await _api.WaitForTaskAsync(Grid, opened.Id);
        var supervisor = _api.As(Staff.Supervisor);

        var yongjiang = await supervisor.GetFromJsonAsync<JsonElement>("/api/supervision/overview?street=yongjiang");
        var cicheng = await supervisor.GetFromJsonAsync<JsonElement>("/api/supervision/overview?street=cicheng");
        var ciChengDepartments = await supervisor.GetFromJsonAsync<JsonElement>("/api/supervision/departments?street=cicheng");
        var yongjiangDepartments = await supervisor.GetFromJsonAsync<JsonElement>("/api/supervision/departments?street=yongjiang");
        var notAStreet = await supervisor.GetAsync($"/api/supervision/breaches?street={Village}");
        var streets = await supervisor.GetFromJsonAsync<JsonElement>("/api/units?role=street");

        Assert.Equal(1, yongjiang.GetProperty("openCases").GetInt32());
        Assert.Equal(0, cicheng.GetProperty("openCases").GetInt32());
        Assert.Equal(0, cicheng.GetProperty("openTasks").GetInt32());
        Assert.Empty(ciChengDepartments.EnumerateArray());
        Assert.Contains(yongjiangDepartments.EnumerateArray(), row => row.GetProperty("department").GetString() == Grid);
        Assert.Equal(HttpStatusCode.BadRequest, notAStreet.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(notAStreet)).GetProperty("errors").TryGetProperty("street", out _));
        Assert.Equal(8, streets.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.GetAsync("/api/units?role=county")).StatusCode);
    }
}
