using System.Net;
using System.Net.Http.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class CaseLifecycleTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private static readonly string[] ParallelReviewDepartments = ["social-security", "medical-insurance", "education", "real-estate-registration"];

    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Filing_an_identity_change_sends_household_registration_first_and_the_other_departments_after_it()
    {
        var filed = await _api.FileIdentityChangeAsync();

        Assert.Matches(@"^YJS-\d{8}-000001$", filed.CaseNumber);
        Assert.Equal("running", filed.Status);
        Assert.Equal("active", filed.Steps.Single(s => s.StepId == "household").State);
        Assert.All(filed.Steps.Where(s => s.StepId != "household"), s => Assert.Equal("waiting", s.State));

        var household = await _api.WaitForTaskAsync("household-registration", filed.Id);
        foreach (var department in ParallelReviewDepartments)
        {
            Assert.DoesNotContain(await _api.InboxAsync(department), t => t.CaseId == filed.Id);
        }

        Assert.Equal(HttpStatusCode.OK, (await _api.ApproveAsync(household.Id)).StatusCode);

        foreach (var department in ParallelReviewDepartments)
        {
            var task = await _api.WaitForTaskAsync(department, filed.Id);
            Assert.Equal(HttpStatusCode.OK, (await _api.ApproveAsync(task.Id)).StatusCode);
        }

        var completed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to complete");
        Assert.All(completed.Steps, s => Assert.Equal("approved", s.State));
        Assert.Equal("system:housing-fund", completed.History.Single(h => h.Type == "task-approved" && h.StepId == "housing-fund").Actor);
        Assert.Equal(6, completed.History.Count(h => h.Type == "task-dispatched"));
        Assert.Equal(6, completed.History.Count(h => h.Type == "task-approved"));
        Assert.Equal("case-filed", completed.History.First().Type);
        Assert.Equal("case-completed", completed.History.Last().Type);
        Assert.NotNull(completed.EndedAt);
    }

    [Fact]
    public async Task Steps_whose_condition_is_false_are_skipped_and_the_case_still_completes()
    {
        var filed = await _api.FileIdentityChangeAsync(hasSchoolAgeChild: false, ownsProperty: false);
        await _api.ApproveAsync((await _api.WaitForTaskAsync("household-registration", filed.Id)).Id);
        await _api.ApproveAsync((await _api.WaitForTaskAsync("social-security", filed.Id)).Id);
        await _api.ApproveAsync((await _api.WaitForTaskAsync("medical-insurance", filed.Id)).Id);

        var completed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to complete");

        Assert.Equal("skipped", completed.Steps.Single(s => s.StepId == "education").State);
        Assert.Equal("skipped", completed.Steps.Single(s => s.StepId == "real-estate").State);
        Assert.Null(completed.Steps.Single(s => s.StepId == "education").TaskId);
        Assert.Empty(await _api.InboxAsync("education", "all"));
        Assert.Equal(2, completed.History.Count(h => h.Type == "step-skipped"));
    }

    [Fact]
    public async Task Rejecting_a_task_rejects_the_case_and_cancels_the_other_open_tasks()
    {
        var filed = await _api.FileIdentityChangeAsync();
        await _api.ApproveAsync((await _api.WaitForTaskAsync("household-registration", filed.Id)).Id);
        var socialSecurity = await _api.WaitForTaskAsync("social-security", filed.Id);
        var education = await _api.WaitForTaskAsync("education", filed.Id);

        var rejected = await _api.RejectAsync(socialSecurity.Id, "申请人社保关系不在本区，请至参保地办理");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);

        var @case = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("rejected", @case.Status);
        Assert.Equal("rejected", @case.Steps.Single(s => s.StepId == "social-security").State);
        Assert.Equal("cancelled", @case.Steps.Single(s => s.StepId == "education").State);
        Assert.Equal("cancelled", @case.Steps.Single(s => s.StepId == "education").TaskState);
        Assert.Contains(@case.History, h => h.Type == "task-cancelled" && h.StepId == "education");
        Assert.Equal("申请人社保关系不在本区，请至参保地办理", @case.History.Single(h => h.Type == "task-rejected").Detail);

        var lateApproval = await _api.ApproveAsync(education.Id);
        Assert.Equal(HttpStatusCode.Conflict, lateApproval.StatusCode);
        Assert.Contains("cancelled", (await ApiClient.ProblemAsync(lateApproval)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Deciding_a_task_a_second_time_answers_409_and_changes_nothing()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var household = await _api.WaitForTaskAsync("household-registration", filed.Id);
        Assert.Equal(HttpStatusCode.OK, (await _api.ApproveAsync(household.Id)).StatusCode);
        var before = await _api.GetCaseAsync(filed.Id);

        var again = await _api.ApproveAsync(household.Id);
        var rejectAfterApprove = await _api.RejectAsync(household.Id, "重复操作");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, rejectAfterApprove.StatusCode);
        Assert.Equal(409, (await ApiClient.ProblemAsync(again)).GetProperty("status").GetInt32());
        var after = await _api.GetCaseAsync(filed.Id);
        Assert.Equal(1, before.History.Count(h => h.Type == "task-approved" && h.StepId == "household"));
        Assert.Equal(1, after.History.Count(h => h.Type == "task-approved" && h.StepId == "household"));
        Assert.Equal("approved", after.Steps.Single(s => s.StepId == "household").State);
        Assert.DoesNotContain(after.History, h => h.Type == "task-rejected");
    }

    [Fact]
    public async Task Filing_again_with_the_same_idempotency_key_returns_the_first_case()
    {
        var body = new { workflowId = "identity-change", form = await _api.IdentityChangeFormAsync() };

        var first = await _api.PostCaseAsync(body, "window-3-20261122-0001");
        var second = await _api.PostCaseAsync(body, "window-3-20261122-0001");
        var otherBody = await _api.PostCaseAsync(new { workflowId = "identity-change", form = await _api.IdentityChangeFormAsync(ownsProperty: false) },
            "window-3-20261122-0001");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        var firstCase = await first.Content.ReadFromJsonAsync<Cases.CaseResponse>(Processing.OneThingJson.Options);
        var secondCase = await second.Content.ReadFromJsonAsync<Cases.CaseResponse>(Processing.OneThingJson.Options);
        Assert.Equal(firstCase!.Id, secondCase!.Id);
        var page = await _api.Http.GetFromJsonAsync<Cases.CasePage>("/api/cases", Processing.OneThingJson.Options);
        Assert.Equal(1, page!.Total);
    }

    [Fact]
    public async Task A_reviewer_sees_only_the_form_fields_the_department_may_see()
    {
        var filed = await _api.FileIdentityChangeAsync();
        await _api.ApproveAsync((await _api.WaitForTaskAsync("household-registration", filed.Id)).Id);

        var education = await _api.WaitForTaskAsync("education", filed.Id);
        var workflow = await _api.Http.GetFromJsonAsync<Workflows.WorkflowResponse>("/api/workflows/identity-change", Processing.OneThingJson.Options);
        var allowed = workflow!.Steps.Single(s => s.Id == "education").Sees;

        var shown = education.Fields.EnumerateObject().Select(p => p.Name).ToList();
        Assert.NotEmpty(shown);
        Assert.All(shown, field => Assert.Contains(field, allowed));
        Assert.DoesNotContain("phone", shown);
    }

    [Fact]
    public async Task Cases_are_listed_newest_first_and_filtered_by_status()
    {
        var first = await _api.FileIdentityChangeAsync();
        var second = await _api.FileIdentityChangeAsync();
        await _api.RejectAsync((await _api.WaitForTaskAsync("household-registration", first.Id)).Id, "户籍信息不符");

        var running = await _api.Http.GetFromJsonAsync<Cases.CasePage>("/api/cases?status=running", Processing.OneThingJson.Options);
        var all = await _api.Http.GetFromJsonAsync<Cases.CasePage>("/api/cases?page=1&pageSize=1", Processing.OneThingJson.Options);

        Assert.Equal([second.Id], running!.Items.Select(c => c.Id));
        Assert.Equal(2, all!.Total);
        Assert.Single(all.Items);
        Assert.Equal(second.Id, all.Items[0].Id);
        Assert.EndsWith("000002", second.CaseNumber);
    }
}
