using System.Net;
using System.Net.Http.Json;
using System.Text;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class LanguageBadInputTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Supplement_and_withdrawal_requests_without_what_they_need_are_refused_with_a_problem()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);

        var noMessage = await _api.RequestSupplementAsync(task.Id, " ");
        var noReason = await _api.WithdrawAsync(filed.Id, "");
        var emptySupplement = await _api.SubmitSupplementAsync(filed.Id, new { note = "nothing" });
        var badField = await _api.SubmitSupplementAsync(filed.Id, new { form = new { phone = "12345" } });
        var badAttachment = await _api.SubmitSupplementAsync(filed.Id, new { attachments = new[] { new { fileName = "a.exe", contentType = "application/x-msdownload", size = 10 } } });
        var brokenJson = await _api.Http.PostAsync($"/api/cases/{filed.Id}/withdraw", new StringContent("{\"reason\":", Encoding.UTF8, "application/json"));

        var problems = new List<System.Text.Json.JsonElement>();
        foreach (var response in new[] { noMessage, noReason, emptySupplement, badField, badAttachment, brokenJson })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            problems.Add(await ApiClient.ProblemAsync(response));
        }

        Assert.True(problems[3].GetProperty("errors").TryGetProperty("form.phone", out _));
        Assert.True(problems[4].GetProperty("errors").TryGetProperty("form.attachments[0]", out _));
        Assert.Equal("running", (await _api.GetCaseAsync(filed.Id)).Status);
    }

    [Fact]
    public async Task Unknown_cases_and_tasks_answer_404_and_a_supplement_nobody_asked_for_answers_409()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var missing = Guid.NewGuid();

        var reviewer = _api.Reviewer("household-registration");
        var unknownTask = await reviewer.PostAsJsonAsync($"/api/tasks/{missing}/request-supplement", new { message = "请补充材料" });
        var unknownCaseWithdraw = await _api.WithdrawAsync(missing, "撤回");
        var unknownCaseSupplement = await _api.SubmitSupplementAsync(missing, new { form = new { reason = "改名" } });
        var unasked = await _api.SubmitSupplementAsync(filed.Id, new { form = new { reason = "改名" } });
        var dispatchedOnly = await reviewer.PostAsJsonAsync($"/api/tasks/{missing}/approve", new { outcome = "resolved" });

        Assert.Equal(HttpStatusCode.NotFound, unknownTask.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownCaseWithdraw.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownCaseSupplement.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, dispatchedOnly.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, unasked.StatusCode);
        Assert.Contains("waiting for a supplement", (await ApiClient.ProblemAsync(unasked)).GetProperty("detail").GetString());
        Assert.Equal("running", (await _api.GetCaseAsync(filed.Id)).Status);
    }

    [Fact]
    public async Task An_outcome_on_a_step_without_outcomes_is_refused_and_the_task_stays_open()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);

        var response = await _api.ApproveWithAsync(task.Id, "resolved");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no outcomes", (await ApiClient.ProblemAsync(response)).GetRawText());
        Assert.Equal("active", ApiClient.Step(await _api.GetCaseAsync(filed.Id), "household").State);
    }
}
