using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Engine;
using OneThing.Processing;
using OneThing.Processing.Commands;
using OneThing.Processing.DepartmentTasks;

namespace OneThing.Api.Tests;

/// <summary>Reviewers see and act on their own department's tasks only; what they see of the form is what their step lists.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class DepartmentScopingTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
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
    public async Task Another_departments_task_answers_404_everywhere_exactly_like_a_task_that_does_not_exist()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var outsider = _api.Reviewer("social-security");
        var missing = Guid.NewGuid();

        var responses = new Dictionary<string, (HttpResponseMessage Real, HttpResponseMessage Missing)>
        {
            ["claim"] = (await outsider.PostAsync($"/api/tasks/{task.Id}/claim", null), await outsider.PostAsync($"/api/tasks/{missing}/claim", null)),
            ["approve"] = (await outsider.PostAsJsonAsync($"/api/tasks/{task.Id}/approve", new { comment = "同意" }),
                await outsider.PostAsJsonAsync($"/api/tasks/{missing}/approve", new { comment = "同意" })),
            ["reject"] = (await outsider.PostAsJsonAsync($"/api/tasks/{task.Id}/reject", new { reason = "不同意" }),
                await outsider.PostAsJsonAsync($"/api/tasks/{missing}/reject", new { reason = "不同意" })),
            ["request-supplement"] = (await outsider.PostAsJsonAsync($"/api/tasks/{task.Id}/request-supplement", new { message = "请补充材料" }),
                await outsider.PostAsJsonAsync($"/api/tasks/{missing}/request-supplement", new { message = "请补充材料" })),
        };
        var inbox = await outsider.GetAsync("/api/departments/household-registration/tasks");

        foreach (var (action, (real, absent)) in responses)
        {
            Assert.True(real.StatusCode == HttpStatusCode.NotFound, $"{action}: {(int)real.StatusCode}");
            Assert.Equal(absent.StatusCode, real.StatusCode);
            var realProblem = await ApiClient.ProblemAsync(real);
            var absentProblem = await ApiClient.ProblemAsync(absent);
            Assert.Equal(absentProblem.GetProperty("detail").GetString()!.Replace(missing.ToString(), "ID"),
                realProblem.GetProperty("detail").GetString()!.Replace(task.Id.ToString(), "ID"));
        }

        Assert.Equal(HttpStatusCode.NotFound, inbox.StatusCode);
        var unchanged = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("open", unchanged.Steps.Single(s => s.StepId == "household").TaskState);
        Assert.Null(unchanged.Steps.Single(s => s.StepId == "household").Assignee);
    }

    [Fact]
    public async Task Deciding_another_departments_task_is_refused_by_the_use_case_itself_so_no_entry_point_can_forget_it()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var outsider = Staff.ReviewerActor("social-security");

        await using var scope = _host.Services.CreateAsyncScope();
        var decide = scope.ServiceProvider.GetRequiredService<DecideTask>();
        var decided = await decide.HandleAsync(
            new DecideTaskCommand(task.Id, Decision.Approve, "同意", outsider, DecisionSource.Reviewer), CancellationToken.None);
        var claimed = await scope.ServiceProvider.GetRequiredService<ClaimTask>().HandleAsync(task.Id, outsider, CancellationToken.None);

        Assert.IsType<Refusal.NotFound>(decided.Refusal);
        Assert.IsType<Refusal.NotFound>(claimed.Refusal);
        var unchanged = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("open", unchanged.Steps.Single(s => s.StepId == "household").TaskState);
    }

    [Fact]
    public async Task A_comment_longer_than_the_use_cases_limit_is_refused_with_400_naming_the_field()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var reviewer = _api.Reviewer("household-registration");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsync($"/api/tasks/{task.Id}/claim", null)).StatusCode);
        var tooLong = new string('长', FreeText.MaxLength + 1);

        var approve = await reviewer.PostAsJsonAsync($"/api/tasks/{task.Id}/approve", new { comment = tooLong });
        var reject = await reviewer.PostAsJsonAsync($"/api/tasks/{task.Id}/reject", new { reason = tooLong });
        var supplement = await reviewer.PostAsJsonAsync($"/api/tasks/{task.Id}/request-supplement", new { message = tooLong });
        var atTheLimit = await reviewer.PostAsJsonAsync($"/api/tasks/{task.Id}/approve", new { comment = tooLong[..FreeText.MaxLength] });

        foreach (var (response, field) in new[] { (approve, "comment"), (reject, "reason"), (supplement, "message") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(FreeText.MaxLength.ToString(CultureInfo.InvariantCulture),
                (await ApiClient.ProblemAsync(response)).GetProperty("errors").GetProperty(field)[0].GetString());
        }

        Assert.Equal(HttpStatusCode.OK, atTheLimit.StatusCode);
    }

    [Fact]
    public async Task A_reviewer_claims_as_themselves_whatever_the_body_says()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);

        var claimed = await _api.Reviewer("household-registration").PostAsJsonAsync($"/api/tasks/{task.Id}/claim", new { assignee = "someone-else" });

        Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        Assert.Equal("reviewer.household-registration", (await _api.InboxAsync("household-registration")).Single().Assignee);
    }

    [Fact]
    public async Task A_reviewer_gets_the_fields_of_the_step_in_full_and_a_supervisor_sees_them_masked()
    {
        var filed = await _api.FileIdentityChangeAsync();
        await _api.ApproveAsync((await _api.WaitForTaskAsync("household-registration", filed.Id)).Id);
        var education = await _api.WaitForTaskAsync("education", filed.Id);

        var supervisorView = (await ApiClient.InboxPageAsync(_api.As(Staff.Supervisor), "education", "")).Items.Single(t => t.Id == education.Id);

        // jsonb keeps its own key order, so the fields are compared as a set.
        Assert.Equal(["applicationForm", "idNumber", "name", "newName"], education.Fields.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("张小明", education.Fields.GetProperty("name").GetString());
        Assert.Equal("11010519491231002X", education.Fields.GetProperty("idNumber").GetString());
        Assert.Equal(["applicationForm", "idNumber", "name", "newName"], supervisorView.Fields.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("张**", supervisorView.Fields.GetProperty("name").GetString());
        Assert.Equal("1101**********002X", supervisorView.Fields.GetProperty("idNumber").GetString());
        Assert.Equal("张**", supervisorView.Fields.GetProperty("newName").GetString());
    }

    [Fact]
    public async Task The_case_form_is_in_full_only_for_the_filing_clerk_and_supervisors_and_each_full_read_is_audited()
    {
        await _api.CreateAccountAsync("clerk.window-2", "clerk");
        var filed = await _api.FileIdentityChangeAsync();

        var byFiler = await _api.Http.GetFromJsonAsync<Cases.CaseResponse>($"/api/cases/{filed.Id}", OneThingJson.Options);
        var byOtherClerk = await _api.As("clerk.window-2").GetFromJsonAsync<Cases.CaseResponse>($"/api/cases/{filed.Id}", OneThingJson.Options);
        var bySupervisor = await _api.As(Staff.Supervisor).GetFromJsonAsync<Cases.CaseResponse>($"/api/cases/{filed.Id}", OneThingJson.Options);
        var listed = await _api.As("clerk.window-2").GetStringAsync("/api/cases");

        Assert.Equal(Staff.Clerk, byFiler!.FiledBy);
        Assert.False(byFiler.FormMasked);
        Assert.Equal("11010519491231002X", byFiler.Form.GetProperty("idNumber").GetString());
        Assert.True(byOtherClerk!.FormMasked);
        Assert.Equal("1101**********002X", byOtherClerk.Form.GetProperty("idNumber").GetString());
        Assert.Equal("138****5678", byOtherClerk.Form.GetProperty("phone").GetString());
        Assert.Equal("张**", byOtherClerk.Form.GetProperty("name").GetString());
        Assert.True(byOtherClerk.Form.GetProperty("hasSchoolAgeChild").GetBoolean());
        Assert.False(bySupervisor!.FormMasked);
        Assert.Equal("13812345678", bySupervisor.Form.GetProperty("phone").GetString());
        Assert.DoesNotContain("13812345678", listed);

        var reads = (await _api.As(Staff.Admin).GetFromJsonAsync<JsonElement>($"/api/audit?action=personal-data-read&targetId={filed.Id}"))
            .GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("actor").GetString(), e.GetProperty("role").GetString())).ToList();
        Assert.Equal([(Staff.Supervisor, "supervisor"), (Staff.Clerk, "clerk")], reads);
    }
}
