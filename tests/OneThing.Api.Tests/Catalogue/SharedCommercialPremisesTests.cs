using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class SharedCommercialPremisesTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Workflow = "shared-commercial-premises";
    private const string Grid = "yongjiang-waicao-01", Street = "yongjiang";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync() => (_host, _api, _) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Premises(string grid = Grid) => new
    {
        premisesName = "外漕村服装加工作坊",
        address = "甬江街道外漕村12号",
        grid,
        operatorName = "王建国",
        operatorPhone = "13712345678",
        hazards = "一楼生产、二楼住人，电动车在楼道充电",
    };

    [Fact]
    public async Task A_hazard_found_on_patrol_is_graded_rectified_by_the_street_and_closed_out_by_fire_rescue()
    {
        var filed = await _api.FileAsync(Workflow, Premises());
        var patrol = await _api.WaitForStepAsync(Grid, filed.Id, "patrol");
        Assert.False(patrol.Fields.TryGetProperty("operatorPhone", out _));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(patrol.Id, "hazard-found"));
        var grade = await _api.WaitForStepAsync("fire-rescue", filed.Id, "grade");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(grade.Id, "ordinary"));

        var rectify = await _api.WaitForStepAsync(Street, filed.Id, "joint-rectification");
        Assert.Equal("skipped", ApiClient.Step(await _api.GetCaseAsync(filed.Id), "licence-check").State);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(rectify.Id, "已清理楼道充电，住人区域已分隔"));
        var reinspect = await _api.WaitForStepAsync("fire-rescue", filed.Id, "reinspect");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(reinspect.Id, "closed-out"));

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the premises to be closed out");
        Assert.Equal("closed-out", ApiClient.Step(closed, "reinspect").Outcome);
        Assert.Contains(closed.History, h => h.Type == "loop-satisfied");
    }

    [Fact]
    public async Task A_re_inspection_that_finds_it_not_rectified_sends_the_street_a_second_round()
    {
        var filed = await _api.FileAsync(Workflow, Premises());
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForStepAsync(Grid, filed.Id, "patrol")).Id, "hazard-found"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForStepAsync("fire-rescue", filed.Id, "grade")).Id, "major"));
        var licence = await _api.WaitForStepAsync("market-regulation", filed.Id, "licence-check");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync(Street, filed.Id, "joint-rectification")).Id, "已整改"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.ApproveWithAsync((await _api.WaitForStepAsync("fire-rescue", filed.Id, "reinspect")).Id, "not-rectified"));

        var second = await _api.WaitForStepAsync(Street, filed.Id, "joint-rectification", round: 2);
        var running = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("running", running.Status);
        Assert.Equal((2, "active"), (ApiClient.Step(running, "joint-rectification").Round, ApiClient.Step(running, "joint-rectification").State));
        Assert.NotEqual(Guid.Empty, second.Id);
        Assert.Equal("active", ApiClient.Step(running, "licence-check").State);
        Assert.Equal(licence.Id, ApiClient.Step(running, "licence-check").TaskId);
    }

    [Fact]
    public async Task A_patrol_without_hazards_closes_the_case_and_a_grid_no_unit_covers_is_refused()
    {
        var refused = await _api.PostCaseAsync(new { workflowId = Workflow, form = Premises("nowhere-99") });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("grid", (await ApiClient.ProblemAsync(refused)).GetRawText());

        var filed = await _api.FileAsync(Workflow, Premises());
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForStepAsync(Grid, filed.Id, "patrol")).Id, "no-hazard"));
        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to close without hazards");
        Assert.All(["grade", "joint-rectification", "reinspect"], step => Assert.Equal("skipped", ApiClient.Step(closed, step).State));
    }
}
