using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class CookingFumeNuisanceTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Complaint() => new
    {
        complainantName = "陈美华",
        complainantPhone = "13612345678",
        restaurantName = "老江北烧烤店",
        address = "江北区人民路132号",
        description = "每晚油烟直排进入居民楼，无净化设施",
    };

    private async Task ApproveAsync(string department, Guid caseId, string outcome) =>
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForTaskAsync(department, caseId)).Id, outcome));

    [Fact]
    public async Task A_violation_is_checked_by_market_regulation_and_the_flue_owner_rectified_re_inspected_replied_and_revisited()
    {
        var filed = await _api.FileAsync("cooking-fume-nuisance", Complaint());
        var inspect = await _api.WaitForTaskAsync("law-enforcement", filed.Id);
        Assert.False(inspect.Fields.TryGetProperty("complainantPhone", out _));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(inspect.Id, "violation"));

        var waiting = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("skipped", ApiClient.Step(waiting, "measure").State);
        Assert.Equal("active", ApiClient.Step(waiting, "rectification").State);
        Assert.Null(ApiClient.Step(waiting, "rectification").TaskId);
        await ApproveAsync("market-regulation", filed.Id, "licensed");
        await ApproveAsync("property-management", filed.Id, "flue-sound");

        _clock.Set(CatalogueHost.WorkingMorning.AddDays(30));
        await _host.SweepAsync();
        var reinspect = await _api.WaitForTaskAsync("law-enforcement", filed.Id);
        Assert.Equal("reinspect", reinspect.StepId);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(reinspect.Id, "rectified"));

        var visit = await _api.WaitForTaskAsync("community", filed.Id);
        Assert.Equal("return-visit", visit.StepId);
        Assert.True(visit.Fields.TryGetProperty("complainantPhone", out _));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(visit.Id, "satisfied"));

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the complaint to close");
        Assert.Equal("skipped", ApiClient.Step(closed, "penalty").State);
        Assert.Equal("satisfied", ApiClient.Step(closed, "return-visit").Outcome);
        var reply = Assert.Single(closed.Notifications);
        Assert.Equal("reply", reply.StepId);
        Assert.Equal("136****5678", reply.Address);
    }

    [Fact]
    public async Task A_restaurant_not_rectified_after_two_re_inspections_is_fined_before_the_reply()
    {
        var filed = await _api.FileAsync("cooking-fume-nuisance", Complaint());
        await ApproveAsync("law-enforcement", filed.Id, "violation");
        await ApproveAsync("market-regulation", filed.Id, "unlicensed");
        await ApproveAsync("property-management", filed.Id, "flue-defective");

        _clock.Set(CatalogueHost.WorkingMorning.AddDays(30));
        await _host.SweepAsync();
        await ApproveAsync("law-enforcement", filed.Id, "not-rectified");
        var secondRound = await _api.WaitForCaseAsync(filed.Id,
            c => ApiClient.Step(c, "rectification").State == "active", "a second rectification period");
        Assert.Equal("waiting", ApiClient.Step(secondRound, "penalty").State);

        _clock.Set(CatalogueHost.WorkingMorning.AddDays(60));
        await _host.SweepAsync();
        var secondReinspect = await _api.WaitForTaskAsync("law-enforcement", filed.Id);
        Assert.Equal("reinspect", secondReinspect.StepId);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(secondReinspect.Id, "not-rectified"));

        var penalty = await _api.WaitForTaskAsync("law-enforcement", filed.Id);
        Assert.Equal("penalty", penalty.StepId);
        Assert.Empty((await _api.GetCaseAsync(filed.Id)).Notifications);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(penalty.Id, "fined"));
        await ApproveAsync("community", filed.Id, "not-satisfied");

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the complaint to close");
        Assert.Equal("fined", ApiClient.Step(closed, "penalty").Outcome);
        Assert.Equal(2, closed.History.Count(h => h.Type == "task-approved" && h.StepId == "reinspect"));
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
        await ApproveAsync("community", filed.Id, "satisfied");

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the complaint to close");
        Assert.Equal("skipped", ApiClient.Step(closed, "rectification").State);
        Assert.Equal("skipped", ApiClient.Step(closed, "reinspect").State);
        Assert.Equal("skipped", ApiClient.Step(closed, "licence-check").State);
        Assert.Equal("sent", ApiClient.Step(closed, "reply").Outcome);
    }
}
