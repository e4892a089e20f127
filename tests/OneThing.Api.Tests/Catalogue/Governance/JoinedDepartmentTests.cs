using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Cases;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing;

namespace OneThing.Api.Tests.Catalogue.Governance;

/// <summary>一键协同: a department joined to a running case gets a task like any other, and the case waits for it.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class JoinedDepartmentTests(GovernanceHost governance) : IClassFixture<GovernanceHost>, IAsyncLifetime
{
    private const string Workflow = "joined-handling";
    private const string Lead = "law-enforcement";
    private const string Joined = "market-regulation";

    private GovernanceHost _governance = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _governance = governance;
        _api = await governance.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_joined_department_gets_one_task_with_its_deadline_and_the_case_completes_only_after_it_answers()
    {
        var filed = await _api.FileAsync(Workflow, new { summary = "商铺占道经营并售卖过期食品" });
        var handle = await _api.WaitForTaskAsync(Lead, filed.Id);

        var first = await Join(_api.As(Staff.Supervisor), filed.Id, new { department = Joined, reason = "涉及食品安全，需市场监管协同", sla = "2 workdays" });
        var retry = await Join(_api.As(Staff.Supervisor), filed.Id, new { department = Joined, reason = "涉及食品安全，需市场监管协同", sla = "2 workdays" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var joined = (await first.Content.ReadFromJsonAsync<JoinedDepartmentResponse>(OneThingJson.Options))!;
        Assert.Equal(joined.TaskId, (await retry.Content.ReadFromJsonAsync<JoinedDepartmentResponse>(OneThingJson.Options))!.TaskId);
        Assert.Equal(("handle", "2 workdays"), (joined.StepId, joined.Sla));
        Assert.Equal(1, await _governance.Host.WithDbAsync(db => db.DepartmentTasks.CountAsync(t => t.CaseId == filed.Id && t.Department == Joined)));

        var inboxTask = await _api.WaitForTaskAsync(Joined, filed.Id);
        Assert.Equal((joined.TaskId, "2 workdays"), (inboxTask.Id, inboxTask.Deadline.Sla));
        var withJoined = await _api.GetCaseAsync(filed.Id);
        var chosen = Assert.Single(ApiClient.Step(withJoined, "handle").Chosen);
        Assert.Equal((Joined, "涉及食品安全，需市场监管协同"), (chosen.Department, chosen.JoinedReason));
        var line = Assert.Single(withJoined.History, h => h.Type == "department-joined");
        Assert.Equal((Staff.Supervisor, $"{Joined} · 2 workdays: 涉及食品安全，需市场监管协同"), (line.Actor, line.Detail));
        Assert.Equal(1, await _governance.Host.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "department-joined" && a.TargetId == filed.Id.ToString())));

        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(handle.Id, "已责令整改"));
        var reply = await _api.WaitForTaskAsync("community", filed.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(reply.Id, "已答复"));
        var waiting = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("running", waiting.Status);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ClaimAsync(inboxTask.Id));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(inboxTask.Id, "已查处过期食品"));
        await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to complete once the joined department answered");
    }

    [Fact]
    public async Task The_lead_departments_reviewer_may_join_a_department_and_another_departments_reviewer_may_not()
    {
        var filed = await _api.FileAsync(Workflow, new { summary = "夜间施工噪音扰民" });
        await _api.WaitForTaskAsync(Lead, filed.Id);

        var byOther = await Join(_api.Reviewer("community"), filed.Id, new { department = "ecology-environment", reason = "噪音监测", sla = "1 workday" });
        var byLead = await Join(_api.Reviewer(Lead), filed.Id, new { department = "ecology-environment", reason = "噪音监测", sla = "1 workday" });

        Assert.Equal(HttpStatusCode.Forbidden, byOther.StatusCode);
        Assert.Contains("reviewers of law-enforcement may", (await ApiClient.ProblemAsync(byOther)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Created, byLead.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Join(_api.Http, filed.Id, new { department = "tax", reason = "x", sla = "1 workday" })).StatusCode);
    }

    [Theory]
    [InlineData("nowhere", "涉及食品安全", "2 workdays", "department")]
    [InlineData(null, "涉及食品安全", "2 workdays", "department")]
    [InlineData("market-regulation", "  ", "2 workdays", "reason")]
    [InlineData("market-regulation", null, "2 workdays", "reason")]
    [InlineData("market-regulation", "涉及食品安全", "soon", "sla")]
    [InlineData("market-regulation", "涉及食品安全", null, "sla")]
    [InlineData("market-regulation", "涉及食品安全", "99 workdays", "sla")]
    public async Task A_join_without_a_known_department_a_reason_or_a_valid_deadline_is_refused_with_400_naming_the_field(
        string? department, string? reason, string? sla, string field)
    {
        var filed = await _api.FileAsync(Workflow, new { summary = "占道经营" });

        var refused = await Join(_api.As(Staff.Supervisor), filed.Id, new { department, reason, sla });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True((await ApiClient.ProblemAsync(refused)).GetProperty("errors").TryGetProperty(field, out _), field);
        Assert.Equal(0, await _governance.Host.WithDbAsync(db => db.DepartmentTasks.CountAsync(t => t.CaseId == filed.Id && t.Department != Lead)));
    }

    [Fact]
    public async Task Joining_a_department_to_an_ended_case_is_refused_with_409_and_to_no_case_with_404()
    {
        var filed = await _api.FileAsync(Workflow, new { summary = "占道经营" });
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.Http.PostAsJsonAsync($"/api/cases/{filed.Id}/withdraw", new { reason = "已自行整改" }));

        var ended = await Join(_api.As(Staff.Supervisor), filed.Id, new { department = Joined, reason = "协同", sla = "2 workdays" });
        var missing = await Join(_api.As(Staff.Supervisor), Guid.NewGuid(), new { department = Joined, reason = "协同", sla = "2 workdays" });

        Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
        Assert.Contains("already ended", (await ApiClient.ProblemAsync(ended)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static Task<HttpResponseMessage> Join(HttpClient client, Guid caseId, object body) =>
        client.PostAsJsonAsync($"/api/cases/{caseId}/joined-departments", body);
}
