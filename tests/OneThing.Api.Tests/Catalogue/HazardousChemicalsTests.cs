using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class HazardousChemicalsTests(PostgresServer postgres) : IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await CatalogueHost.StartAsync(postgres);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Form(string scenario, string riskLevel) => new
    {
        enterpriseName = "宁波甬北化工物流有限公司",
        creditCode = "91330205MA2J0N4P6L",
        scenario,
        riskLevel,
        chemical = "液化石油气",
        location = "江北区洪塘街道化工物流停车场",
        hazard = "危化品运输车辆在非指定区域停放过夜",
        contactPhone = "13712345678",
    };

    [Fact]
    public async Task A_missed_assessment_climbs_the_workflows_own_ladder_up_to_the_district_leader()
    {
        var filed = await _api.FileAsync("hazardous-chemicals", Form("storage", "high"));
        await _api.WaitForTaskAsync("emergency-management", filed.Id);

        // The assessment is due in one working day; a week later every level of the ladder has passed.
        _clock.Set(CatalogueHost.WorkingMorning.AddDays(7));
        await _host.SweepAsync();

        var escalations = (await _api.GetCaseAsync(filed.Id)).History
            .Where(h => h.Type == "task-escalated" && h.StepId == "assess")
            .Select(h => h.Detail)
            .ToList();
        Assert.Equal(["level 1: department-head", "level 2: supervisor", "level 3: district-leader"], escalations);
    }

    [Fact]
    public async Task A_major_transport_hazard_brings_in_its_departments_waits_out_the_rectification_period_and_is_rechecked()
    {
        var filed = await _api.FileAsync("hazardous-chemicals", Form("transport", "major"));
        var assess = await _api.WaitForTaskAsync("emergency-management", filed.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(assess.Id, "confirmed"));

        var joined = await _api.GetCaseAsync(filed.Id);
        Assert.Equal(["traffic-police", "transport", "fire-rescue", "ecology-environment"],
            joined.Steps.Where(s => s.State == "active").Select(s => s.StepId));
        Assert.Equal("skipped", ApiClient.Step(joined, "market-regulation").State);

        foreach (var department in new[] { "traffic-police", "fire-rescue", "ecology-environment" })
        {
            await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForTaskAsync(department, filed.Id)).Id, "已联合检查并下达整改通知"));
        }

        // Transport declines (not its competence); the case goes on without it.
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RejectAsync((await _api.WaitForTaskAsync("transport", filed.Id)).Id, "该车辆道路运输证属外地核发，已函告发证机关"));
        var waiting = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("running", waiting.Status);
        Assert.Equal("rejected", ApiClient.Step(waiting, "transport").State);
        Assert.Equal("active", ApiClient.Step(waiting, "rectification").State);
        Assert.Contains(waiting.History, h => h.Type == "wait-started" && h.StepId == "rectification");

        // 10 working days from Tuesday 10 March: the close of office on Tuesday 24 March.
        _clock.Set(new DateTimeOffset(2026, 3, 24, 17, 0, 0, TimeSpan.FromHours(8)));
        await _host.SweepAsync();
        Assert.Equal("active", ApiClient.Step(await _api.GetCaseAsync(filed.Id), "rectification").State);

        _clock.Set(new DateTimeOffset(2026, 3, 24, 17, 31, 0, TimeSpan.FromHours(8)));
        await _host.SweepAsync();
        var recheck = await _api.WaitForTaskAsync("emergency-management", filed.Id);
        Assert.Equal("recheck", recheck.StepId);
        Assert.Equal("elapsed", ApiClient.Step(await _api.GetCaseAsync(filed.Id), "rectification").Outcome);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(recheck.Id, "复查合格，销号"));

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the hazard case to close");
        Assert.Equal("tell-enterprise", Assert.Single(closed.Notifications).StepId);
    }

    [Fact]
    public async Task A_withdrawn_case_cancels_the_open_departments_and_refuses_later_decisions()
    {
        var filed = await _api.FileAsync("hazardous-chemicals", Form("storage", "high"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("emergency-management", filed.Id)).Id, "confirmed"));
        var fire = await _api.WaitForTaskAsync("fire-rescue", filed.Id);
        await _api.WaitForTaskAsync("market-regulation", filed.Id);

        var withdrawn = await ApiClient.CaseOf(await _api.WithdrawAsync(filed.Id, "企业已自行清运完毕，举报人撤回"), HttpStatusCode.OK);

        Assert.Equal("withdrawn", withdrawn.Status);
        Assert.NotNull(withdrawn.EndedAt);
        // Storage at high risk: transport and traffic police were skipped by their conditions and stay so; the rest is cancelled.
        Assert.Equal(["traffic-police", "transport"], withdrawn.Steps.Where(s => s.State == "skipped").Select(s => s.StepId));
        Assert.Equal(["fire-rescue", "ecology-environment", "market-regulation", "rectification", "recheck", "tell-enterprise"],
            withdrawn.Steps.Where(s => s.State == "cancelled").Select(s => s.StepId));
        Assert.Equal(3, withdrawn.History.Count(h => h.Type == "task-cancelled"));
        Assert.Equal("企业已自行清运完毕，举报人撤回", withdrawn.History.Single(h => h.Type == "case-withdrawn").Detail);
        Assert.Empty(await _api.InboxAsync("fire-rescue"));
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApproveAsync(fire.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.WithdrawAsync(filed.Id, "再次撤回")).StatusCode);
    }

    [Fact]
    public async Task A_report_that_is_not_a_hazard_closes_without_involving_other_departments()
    {
        var filed = await _api.FileAsync("hazardous-chemicals", Form("parking", "low"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("emergency-management", filed.Id)).Id, "not-a-hazard"));

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to close");

        Assert.All(closed.Steps.Where(s => s.StepId is not ("assess" or "tell-enterprise")), s => Assert.Equal("skipped", s.State));
        Assert.Equal(1, closed.History.Count(h => h.Type == "task-dispatched"));
    }
}
