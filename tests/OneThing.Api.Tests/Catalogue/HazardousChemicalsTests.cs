using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class HazardousChemicalsTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Workflow = "hazardous-chemicals", Street = "hongtang", Emergency = "emergency-management";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, object?> Form(string scenario, string riskLevel, bool atPort = false, bool controlledChemical = false) => new()
    {
        ["enterpriseName"] = "宁波甬北化工物流有限公司",
        ["creditCode"] = "91330205MA2J0N4P6L",
        ["street"] = Street,
        ["scenario"] = scenario,
        ["atPort"] = atPort,
        ["controlledChemical"] = controlledChemical,
        ["riskLevel"] = riskLevel,
        ["chemical"] = "液化石油气",
        ["location"] = "江北区洪塘街道化工物流园区",
        ["hazard"] = "储罐区可燃气体检测报警装置失效",
        ["contactPhone"] = "13712345678",
    };

    [Fact]
    public async Task A_major_hidden_hazard_gets_a_reviewed_plan_listed_supervision_and_medical_rescue_and_is_closed_out_after_the_enterprises_report()
    {
        var filed = await _api.FileAsync(Workflow, Form("storage", "high", controlledChemical: true));
        var assess = await _api.WaitForStepAsync(Emergency, filed.Id, "assess");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(assess.Id, "major-hazard", comment: "符合重大事故隐患判定标准"));

        var joined = await _api.GetCaseAsync(filed.Id);
        Assert.Equal(["public-security", "fire-rescue", "ecology-environment", "market-regulation", "rectification-plan", "listed-supervision", "medical-rescue"],
            joined.Steps.Where(s => s.State == "active").Select(s => s.StepId));
        Assert.Equal(["traffic-police", "transport", "port-shipping"], joined.Steps.Where(s => s.State == "skipped").Select(s => s.StepId));
        foreach (var (inbox, step) in new[]
        {
            ("public-security", "public-security"), ("fire-rescue", "fire-rescue"), ("ecology-environment", "ecology-environment"),
            ("market-regulation", "market-regulation"), ("safety-committee", "listed-supervision"), ("health", "medical-rescue"),
        })
        {
            await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync(inbox, filed.Id, step)).Id, "已联合检查并落实职责"));
        }

        // The enterprise's plan arrives as a supplement (补正) the plan's reviewer asks for.
        var plan = await _api.WaitForStepAsync(Emergency, filed.Id, "rectification-plan");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RequestSupplementAsync(plan.Id, "请企业提交重大事故隐患治理方案"));
        var planFile = await _api.UploadedAsync("治理方案.pdf", "application/pdf", SampleFiles.Of("application/pdf", 240_000));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.SubmitSupplementAsync(filed.Id, new { form = new { rectificationPlan = new { attachmentId = planFile } }, note = "企业已提交治理方案" }));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync(Emergency, filed.Id, "rectification-plan")).Id, "治理方案可行"));

        // The street, as the territorial party, follows the rectification and takes in the enterprise's report.
        var rectify = await _api.WaitForStepAsync(Street, filed.Id, "rectify");
        Assert.True(rectify.Fields.TryGetProperty("rectificationPlan", out _));
        Assert.False(rectify.Fields.TryGetProperty("creditCode", out _));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RequestSupplementAsync(rectify.Id, "请企业提交隐患整改报告"));
        var report = await _api.UploadedAsync("整改报告.pdf", "application/pdf", SampleFiles.Of("application/pdf", 180_000));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.SubmitSupplementAsync(filed.Id, new { form = new { rectificationReport = new { attachmentId = report } }, note = "企业已提交整改报告" }));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync(Street, filed.Id, "rectify")).Id, "已督促整改，报警装置已更换"));

        var verify = await _api.WaitForStepAsync(Emergency, filed.Id, "verify");
        Assert.Equal(report.ToString(), verify.Fields.GetProperty("rectificationReport").GetProperty("attachmentId").GetString());
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(verify.Id, "closed-out", comment: "现场核查整改到位，予以销号"));

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the major hazard to be closed out");
        Assert.Equal("closed-out", ApiClient.Step(closed, "verify").Outcome);
        Assert.Equal("skipped", ApiClient.Step(closed, "enforcement").State);
        Assert.Contains(closed.History, h => h.Type == "loop-satisfied");
        Assert.Equal("tell-enterprise", Assert.Single(closed.Notifications).StepId);
    }

    [Fact]
    public async Task A_hazard_still_not_rectified_after_two_rounds_goes_to_emergency_management_for_suspension_and_a_fine()
    {
        var filed = await _api.FileAsync(Workflow, Form("loading", "moderate", atPort: true));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForStepAsync(Emergency, filed.Id, "assess")).Id, "ordinary-hazard"));
        var ordinary = await _api.GetCaseAsync(filed.Id);
        Assert.Equal(["transport", "port-shipping", "fire-rescue", "market-regulation"], ordinary.Steps.Where(s => s.State == "active").Select(s => s.StepId));
        Assert.All(["public-security", "ecology-environment", "rectification-plan", "listed-supervision", "medical-rescue"],
            step => Assert.Equal("skipped", ApiClient.Step(ordinary, step).State));
        foreach (var (inbox, step) in new[] { ("transport", "transport"), ("port-shipping", "port-shipping"), ("fire-rescue", "fire-rescue"), ("market-regulation", "market-regulation") })
        {
            await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync(inbox, filed.Id, step)).Id, "已下达整改通知"));
        }

        for (var round = 1; round <= 2; round++)
        {
            await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync(Street, filed.Id, "rectify", round)).Id, "企业称已整改"));
            await ApiClient.ExpectAsync(HttpStatusCode.OK,
                _api.ApproveWithAsync((await _api.WaitForStepAsync(Emergency, filed.Id, "verify", round)).Id, "not-rectified", comment: "切断阀仍未更换"));
        }

        var enforcement = await _api.WaitForStepAsync(Emergency, filed.Id, "enforcement");
        var running = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("running", running.Status);
        Assert.Equal(2, ApiClient.Step(running, "verify").Round);
        Assert.Contains(running.History, h => h.Type == "loop-exhausted");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(enforcement.Id, "责令停产停业整顿，处罚款"));
        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to close after the penalty");
        Assert.Equal("approved", ApiClient.Step(closed, "enforcement").State);
    }

    [Fact]
    public async Task A_missed_assessment_climbs_the_workflows_own_ladder_up_to_the_district_leader()
    {
        var filed = await _api.FileAsync(Workflow, Form("storage", "high"));
        await _api.WaitForTaskAsync(Emergency, filed.Id);

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
    public async Task A_withdrawn_case_cancels_the_open_departments_and_refuses_later_decisions()
    {
        var filed = await _api.FileAsync(Workflow, Form("storage", "high"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync(Emergency, filed.Id)).Id, "ordinary-hazard"));
        var fire = await _api.WaitForTaskAsync("fire-rescue", filed.Id);
        await _api.WaitForTaskAsync("market-regulation", filed.Id);

        var withdrawn = await ApiClient.CaseOf(await _api.WithdrawAsync(filed.Id, "企业已自行清运完毕，举报人撤回"), HttpStatusCode.OK);

        Assert.Equal("withdrawn", withdrawn.Status);
        Assert.NotNull(withdrawn.EndedAt);
        // An ordinary hazard in storage at high risk: the road, port and major-hazard steps were skipped and stay so; the rest is cancelled.
        Assert.Equal(["traffic-police", "transport", "port-shipping", "public-security", "rectification-plan", "listed-supervision", "medical-rescue"],
            withdrawn.Steps.Where(s => s.State == "skipped").Select(s => s.StepId));
        Assert.Equal(["fire-rescue", "ecology-environment", "market-regulation", "rectify", "verify", "enforcement", "tell-enterprise"],
            withdrawn.Steps.Where(s => s.State == "cancelled").Select(s => s.StepId));
        Assert.Equal(3, withdrawn.History.Count(h => h.Type == "task-cancelled"));
        Assert.Equal("企业已自行清运完毕，举报人撤回", withdrawn.History.Single(h => h.Type == "case-withdrawn").Detail);
        Assert.Empty(await _api.InboxAsync("fire-rescue"));
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApproveAsync(fire.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.WithdrawAsync(filed.Id, "再次撤回")).StatusCode);
    }

    [Fact]
    public async Task A_report_that_is_not_a_hazard_closes_without_other_departments_and_a_street_no_unit_covers_is_refused()
    {
        var nowhere = Form("parking", "low");
        nowhere["street"] = "atlantis";
        var refused = await _api.PostCaseAsync(new { workflowId = Workflow, form = nowhere });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(refused)).GetProperty("errors").TryGetProperty("form.street", out _));

        var filed = await _api.FileAsync(Workflow, Form("parking", "low"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync(Emergency, filed.Id)).Id, "not-a-hazard"));

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to close");
        Assert.All(closed.Steps.Where(s => s.StepId is not ("assess" or "tell-enterprise")), s => Assert.Equal("skipped", s.State));
        Assert.Equal(1, closed.History.Count(h => h.Type == "task-dispatched"));
    }
}
