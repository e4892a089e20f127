using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class OpenBurningTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Event = "fire-spot-detected";
    private const string Grid = "cicheng-maoao-01", Village = "cicheng-maoao";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Alert(string material = "straw") => new { location = "慈城镇毛岙村东侧农田", pointCode = "CAM-CC-0117", grid = Grid, material };

    [Fact]
    public async Task A_straw_fire_the_village_puts_out_is_fined_advised_on_and_verified_by_the_grid()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Alert(), "camera-cc-0117"), HttpStatusCode.Created);
        var putOut = await _api.WaitForStepAsync(Village, opened.Id, "put-out");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(putOut.Id, "extinguished"));

        var penalty = await _api.WaitForStepAsync("law-enforcement", opened.Id, "penalty");
        var guidance = await _api.WaitForStepAsync("agriculture-rural", opened.Id, "guidance");
        var verify = await _api.WaitForStepAsync(Grid, opened.Id, "verify");
        Assert.Equal("skipped", ApiClient.Step(await _api.GetCaseAsync(opened.Id), "fire-rescue").State);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(verify.Id, "clear"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(penalty.Id, "fined"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(guidance.Id, "已指导秸秆还田"));

        var closed = await _api.WaitForCaseAsync(opened.Id, c => c.Status == "completed", "the fire-spot case to close");
        Assert.Equal("fined", ApiClient.Step(closed, "penalty").Outcome);
    }

    [Fact]
    public async Task A_fire_that_spreads_brings_in_119_and_rubbish_gets_no_agricultural_guidance()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Alert("rubbish"), "camera-cc-0117"), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForStepAsync(Village, opened.Id, "put-out")).Id, "spreading"));

        var fireRescue = await _api.WaitForStepAsync("fire-rescue", opened.Id, "fire-rescue");
        var running = await _api.GetCaseAsync(opened.Id);
        Assert.Equal("skipped", ApiClient.Step(running, "guidance").State);
        Assert.Equal("waiting", ApiClient.Step(running, "penalty").State);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(fireRescue.Id, "明火已扑灭"));
        Assert.Equal("penalty", (await _api.WaitForStepAsync("law-enforcement", opened.Id, "penalty")).StepId);
    }

    [Fact]
    public async Task A_fire_not_out_within_the_hour_brings_in_119_by_itself()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Alert(), "camera-cc-0117"), HttpStatusCode.Created);
        await _api.WaitForStepAsync(Village, opened.Id, "put-out");

        _clock.Set(CatalogueHost.WorkingMorning.AddMinutes(61));
        await _host.SweepAsync();

        var fireRescue = await _api.WaitForStepAsync("fire-rescue", opened.Id, "fire-rescue");
        Assert.Equal("fire-rescue", fireRescue.StepId);
        var told = await _api.WaitForCaseAsync(opened.Id, c => c.Notifications.Count > 0, "the clerk to be told");
        Assert.Contains("119", told.Notifications[0].Message.Zh);
    }
}
