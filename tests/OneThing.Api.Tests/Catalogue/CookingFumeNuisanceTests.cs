using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class CookingFumeNuisanceTests(PostgresServer postgres) : IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await CatalogueHost.StartAsync(postgres);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Complaint() => new
    {
        complainantName = "陈美华",
        complainantPhone = "13612345678",
        restaurantName = "老江北烧烤店",
        address = "江北区人民路132号",
        description = "每晚油烟直排进入居民楼，无净化设施",
    };

    [Fact]
    public async Task A_violation_gets_a_rectification_period_a_re_inspection_and_a_reply_to_the_complainant()
    {
        var filed = await _api.FileAsync("cooking-fume-nuisance", Complaint());
        var inspect = await _api.WaitForTaskAsync("law-enforcement", filed.Id);
        Assert.False(inspect.Fields.TryGetProperty("complainantPhone", out _));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(inspect.Id, "violation"));

        var waiting = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("skipped", ApiClient.Step(waiting, "measure").State);
        Assert.Equal("active", ApiClient.Step(waiting, "rectification").State);
        Assert.Null(ApiClient.Step(waiting, "rectification").TaskId);

        _clock.Set(CatalogueHost.WorkingMorning.AddDays(30));
        await _host.SweepAsync();
        var reinspect = await _api.WaitForTaskAsync("law-enforcement", filed.Id);
        Assert.Equal("reinspect", reinspect.StepId);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(reinspect.Id, "rectified"));

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the complaint to close");
        var reply = Assert.Single(closed.Notifications);
        Assert.Equal("reply", reply.StepId);
        Assert.Equal("136****5678", reply.Address);
        Assert.Equal(["inspect", "rectification", "reinspect", "reply"], closed.History.Where(h => h.Type is "task-approved" or "step-ended")
            .Select(h => h.StepId));
    }

    [Fact]
    public async Task A_disputed_finding_within_the_limits_closes_without_rectification()
    {
        var filed = await _api.FileAsync("cooking-fume-nuisance", Complaint());
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync("law-enforcement", filed.Id)).Id, "disputed"));
        var measure = await _api.WaitForTaskAsync("ecology-environment", filed.Id);

        var unknownOutcome = await _api.ApproveWithAsync(measure.Id, "exceeds-a-bit");
        Assert.Equal(HttpStatusCode.BadRequest, unknownOutcome.StatusCode);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(measure.Id, "within-limits"));

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the complaint to close");
        Assert.Equal("skipped", ApiClient.Step(closed, "rectification").State);
        Assert.Equal("skipped", ApiClient.Step(closed, "reinspect").State);
        Assert.Equal("sent", ApiClient.Step(closed, "reply").Outcome);
    }
}
