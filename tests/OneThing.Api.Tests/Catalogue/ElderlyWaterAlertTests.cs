using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class ElderlyWaterAlertTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Event = "water-meter-alert";

    /// <summary>The home's grid (illustrative, departments.yaml) and the village it lies in: the visit and the follow-up go to their inboxes.</summary>
    private const string Grid = "yongjiang-waicao-01", Community = "yongjiang-waicao";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await CatalogueHost.StartAsync(postgres);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    internal static object Alert(string meterId = "WM-330205-00871", string grid = Grid) => new
    {
        meterId,
        grid,
        alertType = "no-use",
        hoursWithoutUse = 14,
        address = "江北区甬江街道外漕村12号",
        residentName = "洪阿婆",
        familyPhone = "13512345678",
    };

    [Fact]
    public async Task The_family_is_told_at_once_and_a_safe_visit_closes_the_alert()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Alert(), "meter-gateway"), HttpStatusCode.Created);
        Assert.Equal("sent", ApiClient.Step(opened, "tell-family").Outcome);
        Assert.Equal("135****5678", Assert.Single(opened.Notifications).Address);
        await _api.WaitForCaseAsync(opened.Id, c => c.Notifications.Single().DeliveredAt is not null, "the family notification to be delivered");

        var visit = await _api.WaitForTaskAsync(Grid, opened.Id);
        Assert.Equal(["safe", "family-confirmed-safe", "needs-help", "no-contact"], visit.Outcomes);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(visit.Id, "safe", comment: "老人外出探亲，已电话确认"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed", "the alert to close");
        Assert.Equal("skipped", ApiClient.Step(closed, "community").State);
        Assert.Equal("skipped", ApiClient.Step(closed, "emergency-medical").State);
        Assert.Equal("skipped", ApiClient.Step(closed, "on-duty").State);
        Assert.Equal(["tell-family", "tell-family-result"], closed.Notifications.Select(n => n.StepId).Order());
    }

    [Fact]
    public async Task The_family_answering_that_the_elder_is_safe_stands_the_visit_down_and_nobody_else_is_sent()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Alert()), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.ApproveWithAsync((await _api.WaitForTaskAsync(Grid, opened.Id)).Id, "family-confirmed-safe", comment: "女儿来电：老人在家，水管已关"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed", "the alert to close");
        Assert.All(new[] { "community", "emergency-medical", "police-station", "civil-affairs" },
            step => Assert.Equal("skipped", ApiClient.Step(closed, step).State));
    }

    [Fact]
    public async Task No_contact_brings_the_police_station_to_force_entry_with_the_community_and_civil_affairs_follows_up_but_no_ambulance()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Alert()), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync(Grid, opened.Id)).Id, "no-contact"));

        var entry = await _api.WaitForTaskAsync("police-station", opened.Id);
        var community = await _api.WaitForTaskAsync(Community, opened.Id);
        Assert.Equal("skipped", ApiClient.Step(await _api.GetCaseAsync(opened.Id), "emergency-medical").State);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(entry.Id, "entered-safe"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(community.Id, "老人摔倒后已扶起，家属赶到"));
        var followUp = await _api.WaitForTaskAsync("civil-affairs", opened.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(followUp.Id, "纳入重点关爱名单"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed", "the alert to close");
        Assert.Equal("entered-safe", ApiClient.Step(closed, "police-station").Outcome);
    }

    [Fact]
    public async Task A_repeated_alert_joins_the_open_case_a_retried_one_counts_once_and_a_silent_grid_worker_goes_to_the_person_on_duty_not_to_120()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Alert(), idempotencyKey: "WM-330205-00871-20260310T1000"), HttpStatusCode.Created);
        var retried = await ApiClient.CaseOf(await _api.ReportAsync(Event, Alert(), idempotencyKey: "WM-330205-00871-20260310T1000"), HttpStatusCode.OK);
        var again = await ApiClient.CaseOf(await _api.ReportAsync(Event, Alert(), idempotencyKey: "WM-330205-00871-20260310T1005"), HttpStatusCode.OK);
        Assert.Equal(opened.Id, retried.Id);
        Assert.Equal(1, retried.Incident!.ReportCount);
        Assert.Equal(opened.Id, again.Id);
        Assert.Equal(2, again.Incident!.ReportCount);
        await _api.WaitForTaskAsync(Grid, opened.Id);

        _clock.Set(CatalogueHost.WorkingMorning.AddMinutes(31));
        await _host.SweepAsync();

        var escalated = await _api.GetCaseAsync(opened.Id);
        Assert.Equal("breached", ApiClient.Step(escalated, "visit").Outcome);
        Assert.Equal("active", ApiClient.Step(escalated, "on-duty").State);
        Assert.NotEqual("active", ApiClient.Step(escalated, "emergency-medical").State);
        Assert.Contains(escalated.Notifications, n => n.Recipient == "clerk");

        var duty = await _api.WaitForTaskAsync("eldercare-duty", opened.Id);
        Assert.Equal(["send-community", "call-120", "forced-entry", "stand-down"], duty.Outcomes);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(duty.Id, "call-120", comment: "家属电话无人接听，老人有心脏病史"));
        var ambulance = await _api.WaitForTaskAsync("emergency-medical", opened.Id);
        Assert.Equal("15m", ambulance.Deadline.Sla);
    }
}
