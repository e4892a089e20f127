using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class FireLaneBlockageTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Event = "fire-lane-blocked";

    /// <summary>The spot's grid and its street (illustrative, departments.yaml): the street office takes part, the grid's worker verifies.</summary>
    private const string Grid = "kongpu-c01-01", Street = "kongpu";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Report(string location = "江北区孔浦街道怡江小区3幢东侧消防通道", bool publicRoad = false) => new
    {
        location,
        grid = Grid,
        publicRoad,
        plateNumber = "浙B12345",
        reportedBy = "camera",
        reporterPhone = "13912345678",
        photo = new { fileName = "scene.jpg", contentType = "image/jpeg", size = 180_000 },
    };

    [Fact]
    public async Task An_unresolved_persuasion_brings_in_fire_rescue_the_police_station_and_the_street_office_and_the_order_repeats_until_the_spots_grid_worker_verifies_it_clear()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(), "camera-12"), HttpStatusCode.Created);
        var persuade = await _api.WaitForTaskAsync("property-management", opened.Id);
        Assert.Equal(["resolved", "unresolved"], persuade.Outcomes);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(persuade.Id, "unresolved"));

        var order = await _api.WaitForTaskAsync("fire-rescue", opened.Id);
        var station = await _api.WaitForTaskAsync("police-station", opened.Id);
        var streetOffice = await _api.WaitForTaskAsync(Street, opened.Id);
        Assert.Equal("street-office", streetOffice.StepId);
        Assert.DoesNotContain(await _api.InboxAsync("grid-worker"), t => t.CaseId == opened.Id);
        var afterPersuasion = await _api.GetCaseAsync(opened.Id);
        Assert.Equal("skipped", ApiClient.Step(afterPersuasion, "traffic-police").State);
        Assert.Equal("skipped", ApiClient.Step(afterPersuasion, "fire-inspection").State);
        Assert.Equal(["ordered", "fined"], order.Outcomes);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(order.Id, "fined", comment: "依据消防法第六十条责令改正并罚款"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(station.Id, "已联系车主"));
        Assert.Equal("active", ApiClient.Step(await _api.GetCaseAsync(opened.Id), "street-office").State);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(streetOffice.Id, "已约谈物业，督促落实巡查"));

        var firstCheck = await _api.WaitForTaskAsync(Grid, opened.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(firstCheck.Id, "not-clear"));
        var secondOrder = await Eventually.MatchAsync(() => _api.InboxAsync("fire-rescue"),
            tasks => tasks.Any(t => t.CaseId == opened.Id && t.Id != order.Id && t.StepId == "fire-order"), "the order's round 2");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(secondOrder.Single(t => t.CaseId == opened.Id && t.Id != order.Id).Id, "ordered"));
        var secondCheck = await Eventually.MatchAsync(() => _api.InboxAsync(Grid),
            tasks => tasks.Any(t => t.CaseId == opened.Id && t.Id != firstCheck.Id), "the verification's round 2");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(secondCheck.Single(t => t.CaseId == opened.Id && t.Id != firstCheck.Id).Id, "clear"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed", "the case to close once the lane is verified clear");
        Assert.Equal("clear", ApiClient.Step(closed, "verify").Outcome);
        Assert.Equal("139****5678", Assert.Single(closed.Notifications).Address);
    }

    [Fact]
    public async Task Traffic_police_act_only_on_a_road_open_to_public_traffic()
    {
        var onRoad = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report("江北区孔浦街道康庄南路消防车道", publicRoad: true)), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("property-management", onRoad.Id)).Id, "unresolved"));

        var police = await _api.WaitForTaskAsync("traffic-police", onRoad.Id);
        Assert.Equal(["moved", "towed"], police.Outcomes);
    }

    [Fact]
    public async Task A_persuasion_that_misses_its_30_minutes_is_cancelled_and_enforcement_starts_at_once()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report()), HttpStatusCode.Created);
        var persuade = await _api.WaitForTaskAsync("property-management", opened.Id);

        _clock.Set(CatalogueHost.WorkingMorning.AddMinutes(31));
        await _host.SweepAsync();

        var breached = await _api.GetCaseAsync(opened.Id);
        Assert.Equal("breached", ApiClient.Step(breached, "persuade").Outcome);
        Assert.Equal("active", ApiClient.Step(breached, "fire-order").State);
        Assert.Equal("active", ApiClient.Step(breached, "police-station").State);
        Assert.Equal("active", ApiClient.Step(breached, "street-office").State);
        Assert.Contains(breached.Notifications, n => n.Recipient == "clerk" && n.Message.Zh.Contains("30分钟"));
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApproveWithAsync(persuade.Id, "resolved")).StatusCode);
    }

    [Fact]
    public async Task Reports_of_the_same_place_join_the_open_case_and_a_spot_with_three_cases_in_90_days_brings_in_a_fire_inspection()
    {
        var first = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(), "resident-hotline"), HttpStatusCode.Created);
        var second = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(), "grid-worker-7"), HttpStatusCode.OK);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Incident!.ReportCount);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("property-management", first.Id)).Id, "resolved"));
        Assert.Equal("skipped", ApiClient.Step(await _api.GetCaseAsync(first.Id), "fire-inspection").State);

        _clock.Set(CatalogueHost.WorkingMorning.AddDays(1));
        var secondCase = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report()), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("property-management", secondCase.Id)).Id, "resolved"));
        Assert.Equal("skipped", ApiClient.Step(await _api.GetCaseAsync(secondCase.Id), "fire-inspection").State);

        _clock.Set(CatalogueHost.WorkingMorning.AddDays(2));
        var thirdCase = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report()), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("property-management", thirdCase.Id)).Id, "resolved"));
        Assert.Equal("fire-inspection", (await _api.WaitForTaskAsync("fire-rescue", thirdCase.Id)).StepId);
    }

    [Fact]
    public async Task An_unknown_event_or_a_report_without_its_place_is_refused_with_a_problem()
    {
        var unknown = await _api.ReportAsync("volcano-erupted", Report());
        var noPlace = await _api.ReportAsync(Event, new { reportedBy = "resident" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("fire-lane-blocked", (await ApiClient.ProblemAsync(unknown)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noPlace.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(noPlace)).GetProperty("errors").TryGetProperty("form.location", out _));
    }
}
