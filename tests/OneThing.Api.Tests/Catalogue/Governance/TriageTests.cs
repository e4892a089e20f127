using System.Net;
using System.Net.Http.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue.Governance;

[Collection(IntegrationCollection.Name)]
public sealed class TriageTests(GovernanceHost governance) : IClassFixture<GovernanceHost>, IAsyncLifetime
{
    private const string Workflow = "mediation-triage";
    private const string Desk = "community";

    private GovernanceHost _governance = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _governance = governance;
        _api = await governance.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_triage_without_departments_or_with_one_it_does_not_allow_is_refused_with_400_naming_departments()
    {
        var filed = await _api.FileAsync(Workflow, new { summary = "小区商铺油烟与占道经营，居民多次投诉" });
        var triage = await _api.WaitForTaskAsync(Desk, filed.Id);
        Assert.Equal(["law-enforcement", "market-regulation", "housing-fund"], triage.ChooseFrom);

        foreach (var departments in new object?[] { null, Array.Empty<string>(), new[] { "tax" }, new[] { "law-enforcement", "law-enforcement" } })
        {
            var refused = await Triage(triage.Id, departments);

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await ApiClient.ProblemAsync(refused)).GetProperty("errors").TryGetProperty("departments", out _), $"departments {departments}");
        }

        Assert.Equal("active", ApiClient.Step(await _api.GetCaseAsync(filed.Id), "assign").State);
    }

    [Fact]
    public async Task Each_chosen_department_gets_its_own_task_and_deadline_and_the_reply_waits_for_all_of_them()
    {
        var filed = await _api.FileAsync(Workflow, new { summary = "商铺违规装修影响邻居，涉及公积金贷款房屋" });
        var triage = await _api.WaitForTaskAsync(Desk, filed.Id);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, Triage(triage.Id, new[] { "law-enforcement", "market-regulation" }));

        var enforcement = await _api.WaitForTaskAsync("law-enforcement", filed.Id);
        var market = await _api.WaitForTaskAsync("market-regulation", filed.Id);
        Assert.Equal(("3 workdays", "3 workdays"), (enforcement.Deadline.Sla, market.Deadline.Sla));
        Assert.True(enforcement.ChosenAtTriage);
        Assert.Empty(await _api.InboxAsync("housing-fund"));
        var chosen = await _api.GetCaseAsync(filed.Id);
        Assert.Equal(["law-enforcement", "market-regulation"], ApiClient.Step(chosen, "assign").Chosen.Select(c => c.Department));
        Assert.Contains(chosen.History, h => h.Type == "departments-chosen" && h.Detail == "law-enforcement, market-regulation");
        Assert.Equal("waiting", ApiClient.Step(chosen, "reply").State);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(enforcement.Id, "已责令停止施工"));
        Assert.Equal("waiting", ApiClient.Step(await _api.GetCaseAsync(filed.Id), "reply").State);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RejectAsync(market.Id, "不属于市场监管职责"));

        var replying = await _api.WaitForCaseAsync(filed.Id, c => ApiClient.Step(c, "reply").State == "active", "the reply to start once every chosen department answered");
        Assert.Equal(["approved", "rejected"], ApiClient.Step(replying, "assign").Chosen.Select(c => c.TaskState));
        var reply = await _api.WaitForTaskAsync(Desk, filed.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(reply.Id, "已答复当事人"));
        await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to complete");
    }

    private async Task<HttpResponseMessage> Triage(Guid taskId, object? departments) =>
        await _api.Reviewer(Desk).PostAsJsonAsync($"/api/tasks/{taskId}/approve", new { comment = "按职责分派", departments });
}
