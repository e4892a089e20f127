using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Places;

/// <summary>Incidents that learn: reports match by normalised place or point code, and repeat spots are told by the place's history.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class IncidentLearningApiTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Event = "fire-lane-blocked";
    private const string Lane = "江北区孔浦街道怡江小区3幢东侧消防通道";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Report(string location, string? locationCode = null) =>
        new { location, locationCode, grid = "kongpu-c01-01", plateNumber = "浙B12345", reportedBy = "resident" };

    [Fact]
    public async Task Reports_written_with_other_widths_spaces_or_punctuation_or_carrying_the_same_point_code_are_one_incident()
    {
        var first = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(Lane)), HttpStatusCode.Created);
        var retyped = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report("江北区 孔浦街道，怡江小区３幢 东侧消防通道。")), HttpStatusCode.OK);
        var byCamera = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report("怡江小区监控点", "CAM-0012")), HttpStatusCode.Created);
        var sameCamera = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report("怡江小区3幢旁", "ｃａｍ－００１２")), HttpStatusCode.OK);

        Assert.Equal(first.Id, retyped.Id);
        Assert.Equal(2, retyped.Incident!.ReportCount);
        Assert.NotEqual(first.Id, byCamera.Id);
        Assert.Equal(byCamera.Id, sameCamera.Id);
        Assert.Equal("code:cam-0012", sameCamera.Incident!.Place);
    }

    [Fact]
    public async Task A_report_after_the_repeat_condition_was_evaluated_brings_in_fire_rescue_while_the_case_still_waits()
    {
        var opened = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(Lane)), HttpStatusCode.Created);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("property-management", opened.Id)).Id, "resolved"));
        Assert.Equal("skipped", ApiClient.Step(await _api.GetCaseAsync(opened.Id), "fire-inspection").State);

        _clock.Set(CatalogueHost.WorkingMorning.AddMinutes(20));
        await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(Lane)), HttpStatusCode.OK);
        var third = await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(Lane)), HttpStatusCode.OK);

        Assert.Equal(opened.Id, third.Id);
        await _api.WaitForTaskAsync("fire-rescue", opened.Id);
        var after = await _api.GetCaseAsync(opened.Id);
        Assert.Equal("active", ApiClient.Step(after, "fire-inspection").State);
        Assert.Contains(after.History, h => h.Type == "step-reevaluated" && h.StepId == "fire-inspection" && h.Detail!.Contains("report 3"));
    }

    [Fact]
    public async Task A_place_with_three_cases_in_90_days_is_inspected_on_its_first_report()
    {
        var cases = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            // Each report comes after the merge window of the last one, so each opens a case of its own.
            _clock.Set(CatalogueHost.WorkingMorning.AddDays(i * 20));
            cases.Add((await ApiClient.CaseOf(await _api.ReportAsync(Event, Report(Lane)), HttpStatusCode.Created)).Id);
        }

        var third = await _api.GetCaseAsync(cases[2]);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("property-management", cases[2])).Id, "resolved"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("property-management", cases[1])).Id, "resolved"));

        Assert.Equal(3, third.Incident!.PlaceCases90d);
        Assert.Equal(1, third.Incident.ReportCount);
        await _api.WaitForTaskAsync("fire-rescue", cases[2]);
        Assert.Equal("skipped", ApiClient.Step(await _api.GetCaseAsync(cases[1]), "fire-inspection").State);
    }
}
