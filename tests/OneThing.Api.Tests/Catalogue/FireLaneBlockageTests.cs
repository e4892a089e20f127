using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class FireLaneBlockageTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Event = "fire-lane-blocked";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await CatalogueHost.StartAsync(postgres);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Report(string location = "江北区孔浦街道怡江小区3幢东侧消防通道") => new
    {
        location,
        plateNumber = "浙B12345",
        reportedBy = "camera",
        reporterPhone = "13912345678",
        photo = new { fileName = "scene.jpg", contentType = "image/jpeg", size = 180_000 },
    };

    [Fact]
    public async Task An_unresolved_persuasion_brings_in_traffic_police_and_law_enforcement_and_the_grid_worker_closes_after_the_first()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(), "camera-12"), HttpStatusCode.Created);
        Assert.Equal(1, opened.Incident!.ReportCount);
        Assert.Equal("active", ApiClient.Step(opened, "persuade").State);

        var persuade = await _api.WaitForTaskAsync("property-management", opened.Id);
        Assert.Equal(["resolved", "unresolved"], persuade.Outcomes);
        var withoutOutcome = await _api.ApproveAsync(persuade.Id);
        Assert.Equal(HttpStatusCode.BadRequest, withoutOutcome.StatusCode);
        Assert.Contains("resolved, unresolved", (await ApiClient.ProblemAsync(withoutOutcome)).GetRawText());
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(persuade.Id, "unresolved"));

        var police = await _api.WaitForTaskAsync("traffic-police", opened.Id);
        var enforcement = await _api.WaitForTaskAsync("law-enforcement", opened.Id);
        var afterPersuasion = await _api.GetCaseAsync(opened.Id);
        Assert.Equal("unresolved", ApiClient.Step(afterPersuasion, "persuade").Outcome);
        Assert.Equal("skipped", ApiClient.Step(afterPersuasion, "fire-inspection").State);
        Assert.Equal("waiting", ApiClient.Step(afterPersuasion, "verify").State);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(police.Id, "towed"));
        var verify = await _api.WaitForTaskAsync("grid-worker", opened.Id);
        Assert.Equal("active", ApiClient.Step(await _api.GetCaseAsync(opened.Id), "law-enforcement").State);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(verify.Id, "通道已畅通"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(enforcement.Id, "已对车主立案处罚"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed" && c.Notifications.All(n => n.DeliveredAt is not null),
            "the case to close and the reporter to be told");
        var told = Assert.Single(closed.Notifications);
        Assert.Equal("tell-reporter", told.StepId);
        Assert.Equal("139****5678", told.Address);
        Assert.Equal("towed", ApiClient.Step(closed, "traffic-police").Outcome);
        Assert.Contains(closed.History, h => h.Type == "incident-reported" && h.Actor == "camera-12");
    }

    [Fact]
    public async Task A_persuasion_that_misses_its_30_minutes_is_cancelled_and_enforcement_starts_at_once()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report()), HttpStatusCode.Created);
        var persuade = await _api.WaitForTaskAsync("property-management", opened.Id);

        _clock.Set(CatalogueHost.WorkingMorning.AddMinutes(29));
        await _host.SweepAsync();
        Assert.Equal("active", ApiClient.Step(await _api.GetCaseAsync(opened.Id), "persuade").State);

        _clock.Set(CatalogueHost.WorkingMorning.AddMinutes(31));
        await _host.SweepAsync();

        var breached = await _api.GetCaseAsync(opened.Id);
        Assert.Equal("cancelled", ApiClient.Step(breached, "persuade").State);
        Assert.Equal("breached", ApiClient.Step(breached, "persuade").Outcome);
        Assert.Equal("cancelled", ApiClient.Step(breached, "persuade").TaskState);
        Assert.Equal("active", ApiClient.Step(breached, "traffic-police").State);
        Assert.Equal("active", ApiClient.Step(breached, "law-enforcement").State);
        Assert.Equal(2, breached.History.Count(h => h.Type == "step-forced"));
        Assert.Contains(breached.Notifications, n => n.Recipient == "clerk" && n.Message.Zh.Contains("30分钟"));
        await _api.WaitForTaskAsync("traffic-police", opened.Id);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApproveWithAsync(persuade.Id, "resolved")).StatusCode);
    }

    [Fact]
    public async Task Reports_of_the_same_place_within_two_hours_join_the_open_case_and_a_third_brings_in_fire_rescue()
    {
        var first = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(), "resident-hotline"), HttpStatusCode.Created);
        _clock.Set(CatalogueHost.WorkingMorning.AddMinutes(10));
        var second = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(), "grid-worker-7"), HttpStatusCode.OK);
        var third = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(), "camera-12"), HttpStatusCode.OK);
        var elsewhere = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report("江北区文教街道桃园小区北门")), HttpStatusCode.Created);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.Id, third.Id);
        Assert.Equal(3, third.Incident!.ReportCount);
        Assert.NotEqual(first.Id, elsewhere.Id);
        Assert.Equal(2, third.History.Count(h => h.Type == "report-attached"));

        var persuade = await _api.WaitForTaskAsync("property-management", first.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(persuade.Id, "resolved"));
        await _api.WaitForTaskAsync("fire-rescue", first.Id);
        var resolved = await _api.GetCaseAsync(first.Id);
        Assert.Equal("skipped", ApiClient.Step(resolved, "traffic-police").State);
        Assert.Equal("active", ApiClient.Step(resolved, "verify").State);

        _clock.Set(CatalogueHost.WorkingMorning.AddHours(3));
        var later = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report()), HttpStatusCode.Created);
        Assert.NotEqual(first.Id, later.Id);
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
