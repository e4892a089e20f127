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
        Assert.Equal(["safe", "needs-help", "no-contact"], visit.Outcomes);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(visit.Id, "safe", comment: "老人外出探亲，已电话确认"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed", "the alert to close");
        Assert.Equal("skipped", ApiClient.Step(closed, "community").State);
        Assert.Equal("skipped", ApiClient.Step(closed, "emergency-medical").State);
        Assert.Equal(["tell-family", "tell-family-result"], closed.Notifications.Select(n => n.StepId).Order());
    }

    [Fact]
    public async Task No_contact_calls_in_the_community_and_120()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Alert()), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync(Grid, opened.Id)).Id, "no-contact"));

        var ambulance = await _api.WaitForTaskAsync("emergency-medical", opened.Id);
        var community = await _api.WaitForTaskAsync(Community, opened.Id);
        Assert.Equal("15m", ambulance.Deadline.Sla);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(ambulance.Id, "hospitalised"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(community.Id, "已联系家属赶往医院"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed", "the alert to close");
        Assert.Equal("hospitalised", ApiClient.Step(closed, "emergency-medical").Outcome);
    }

    [Fact]
    public async Task A_repeated_alert_joins_the_open_case_a_retried_one_counts_once_and_a_silent_grid_worker_is_replaced_by_the_community_and_120()
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
        Assert.Equal("active", ApiClient.Step(escalated, "community").State);
        Assert.Equal("active", ApiClient.Step(escalated, "emergency-medical").State);
        Assert.Contains(escalated.Notifications, n => n.Recipient == "clerk");
        await _api.WaitForTaskAsync("emergency-medical", opened.Id);
    }
}
