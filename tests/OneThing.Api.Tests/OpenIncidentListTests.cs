using System.Net;
using System.Net.Http.Json;
using OneThing.Api.Incidents;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class OpenIncidentListTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Lane = "江北区孔浦街道怡江小区3幢东侧消防通道";
    private const string OtherLane = "江北区甬江街道庆丰社区5幢北侧消防通道";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> ReportAsync(string location) =>
        _api.ReportAsync("fire-lane-blocked", new { location, grid = "kongpu-c01-01", reportedBy = "camera", reporterPhone = "13912345678" });

    private async Task<OpenIncidentPage> ListAsync(string query = "") =>
        (await _api.As(Staff.Supervisor).GetFromJsonAsync<OpenIncidentPage>($"/api/incidents{query}", OneThingJson.Options))!;

    [Fact]
    public async Task Open_incidents_list_one_case_per_place_with_its_report_count_most_recently_reported_first()
    {
        var lane = await ApiClient.CaseOf(await ReportAsync(Lane), HttpStatusCode.Created);
        _clock.Set(CatalogueHost.WorkingMorning.AddMinutes(10));
        var other = await ApiClient.CaseOf(await ReportAsync(OtherLane), HttpStatusCode.Created);
        _clock.Set(CatalogueHost.WorkingMorning.AddMinutes(20));
        await ApiClient.CaseOf(await ReportAsync(Lane), HttpStatusCode.OK);

        var open = await ListAsync();

        Assert.Equal(2, open.Total);
        Assert.Equal([lane.Id, other.Id], open.Items.Select(i => i.CaseId));
        Assert.Equal([2, 1], open.Items.Select(i => i.ReportCount));
        Assert.Equal([Lane, OtherLane], open.Items.Select(i => i.Place));
        Assert.Equal("fire-lane-blocked", open.Items[0].Event);
        Assert.Equal(CatalogueHost.WorkingMorning.AddMinutes(20), open.Items[0].LastReportedAt);
        Assert.Equal("消防通道堵塞治理", open.Items[0].WorkflowName.Zh);
        Assert.Empty((await ListAsync("?event=water-meter-alert")).Items);
        Assert.Equal([other.Id], (await ListAsync("?pageSize=1&page=2")).Items.Select(i => i.CaseId));
    }

    [Fact]
    public async Task A_case_filed_at_the_window_is_not_an_incident_and_a_bad_page_size_is_a_problem_answer()
    {
        await _api.FileIdentityChangeAsync();

        Assert.Empty((await ListAsync()).Items);
        var tooLarge = await _api.As(Staff.Supervisor).GetAsync("/api/incidents?pageSize=201");
        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.StatusCode);
        Assert.Contains("pageSize", (await ApiClient.ProblemAsync(tooLarge)).GetRawText());
    }
}
