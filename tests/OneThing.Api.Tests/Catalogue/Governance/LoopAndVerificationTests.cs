using OneThing.Processing.DepartmentTasks;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue.Governance;

[Collection(IntegrationCollection.Name)]
public sealed class LoopAndVerificationTests(GovernanceHost governance) : IClassFixture<GovernanceHost>, IAsyncLifetime
{
    private const string Workflow = "rectify-until-verified";
    private const string Department = "law-enforcement";
    private const string Inspector = "inspector.law-enforcement";

    private GovernanceHost _governance = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _governance = governance;
        _api = await governance.ResetAsync();
        await _api.CreateAccountAsync(Inspector, "reviewer", Department);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_verification_by_the_officer_who_rectified_is_refused_with_409_and_the_case_waits_for_another_officer()
    {
        var filed = await _api.FileAsync(Workflow, new { location = "江北区孔浦街道怡江小区3幢" });
        var rectify = await _api.WaitForTaskAsync(Department, filed.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(rectify.Id, "已整改"));
        var verify = await _api.WaitForTaskAsync(Department, filed.Id);

        var byRectifier = await _api.ApproveWithAsync(verify.Id, "clear");

        Assert.Equal(HttpStatusCode.Conflict, byRectifier.StatusCode);
        Assert.Contains("another reviewer must verify it", (await ApiClient.ProblemAsync(byRectifier)).GetProperty("detail").GetString());
        var waiting = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("running", waiting.Status);
        Assert.Equal("active", ApiClient.Step(waiting, "verify").State);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, Verify(verify.Id, "clear"));
        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to complete once verified by another officer");
        Assert.Equal("clear", ApiClient.Step(closed, "verify").Outcome);
    }

    [Fact]
    public async Task A_round_that_is_not_verified_clear_runs_again_as_new_tasks_with_their_own_deadlines_and_history()
    {
        var filed = await _api.FileAsync(Workflow, new { location = "江北区文教街道桃园小区北门" });
        var firstRectify = await _api.WaitForTaskAsync(Department, filed.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(firstRectify.Id, "已整改"));
        var firstVerify = await _api.WaitForTaskAsync(Department, filed.Id);

        _governance.Clock.Set(CatalogueHost.WorkingMorning.AddDays(1));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, Verify(firstVerify.Id, "not-clear"));

        var secondRectify = await WaitForRoundAsync(filed.Id, "rectify", 2);
        Assert.NotEqual(firstRectify.Id, secondRectify.Id);
        Assert.True(secondRectify.Deadline.DueAt > firstRectify.Deadline.DueAt);
        var repeated = await _api.GetCaseAsync(filed.Id);
        Assert.Equal((2, "active"), (ApiClient.Step(repeated, "rectify").Round, ApiClient.Step(repeated, "rectify").State));
        Assert.Equal("waiting", ApiClient.Step(repeated, "tell-clerk").State);
        Assert.Contains(repeated.History, h => h.Type == "loop-repeated" && h.Detail!.Contains("第 2 轮"));
        Assert.Contains(repeated.History, h => h.Type == "task-dispatched" && h.TaskId == secondRectify.Id && h.Detail!.Contains("round 2 / 第 2 轮"));
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApproveAsync(firstRectify.Id, "再次提交")).StatusCode);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(secondRectify.Id, "已二次整改"));
        var secondVerify = await WaitForRoundAsync(filed.Id, "verify", 2);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, Verify(secondVerify.Id, "clear"));

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to complete in round 2");
        Assert.Contains(closed.History, h => h.Type == "loop-satisfied" && h.Detail!.Contains("round 2"));
        var rounds = await _governance.Host.WithDbAsync(db => db.DepartmentTasks.Where(t => t.CaseId == filed.Id && t.StepId == "rectify")
            .OrderBy(t => t.Round).Select(t => new { t.Round, t.State }).ToListAsync());
        Assert.Equal([(1, TaskState.Approved), (2, TaskState.Approved)], rounds.Select(r => (r.Round, r.State)));
    }

    [Fact]
    public async Task After_the_last_round_without_clear_supervisors_are_told_and_the_case_goes_on()
    {
        var filed = await _api.FileAsync(Workflow, new { location = "江北区洪塘街道" });
        for (var round = 1; round <= 2; round++)
        {
            await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await WaitForRoundAsync(filed.Id, "rectify", round)).Id, "已整改"));
            await ApiClient.ExpectAsync(HttpStatusCode.OK, Verify((await WaitForRoundAsync(filed.Id, "verify", round)).Id, "not-clear"));
        }

        var ended = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to go on after the last round");
        var exhausted = Assert.Single(ended.History, h => h.Type == "loop-exhausted");
        Assert.Equal("supervisor", exhausted.Actor);
        Assert.Contains("2 rounds", exhausted.Detail);
        var escalated = await _governance.Host.WithDbAsync(db => db.DepartmentTasks.Where(t => t.CaseId == filed.Id && t.EscalationLevel > 0)
            .Select(t => t.Round).ToListAsync());
        Assert.Equal([2, 2], escalated);
    }

    private async Task<HttpResponseMessage> Verify(Guid taskId, string outcome) =>
        await _api.As(Inspector).PostAsJsonAsync($"/api/tasks/{taskId}/approve", new { comment = "现场核查", outcome });

    private Task<Api.DepartmentTasks.DepartmentTaskResponse> WaitForRoundAsync(Guid caseId, string stepId, int round) =>
        Eventually.MatchAsync(
            async () => (await _api.InboxAsync(Department)).SingleOrDefault(t => t.CaseId == caseId && t.StepId == stepId && t.Round == round)!,
            task => task is not null && task.State != "dispatched",
            $"the {stepId} task of round {round}");
}
