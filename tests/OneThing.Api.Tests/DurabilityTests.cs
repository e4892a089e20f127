using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.DepartmentTasks;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class DurabilityTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_case_filed_before_a_restart_reaches_its_departments_and_completes_after_it()
    {
        var database = await postgres.CreateDatabaseAsync();
        Guid caseId;
        await using (var before = new OneThingHost(database, new Dictionary<string, string?> { ["Processing:OutboxRelayEnabled"] = "false" }))
        {
            var filed = await new ApiClient(before).FileIdentityChangeAsync(hasSchoolAgeChild: false, ownsProperty: false);
            caseId = filed.Id;
            var unpublished = await before.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.CaseId == caseId && m.PublishedAt == null));
            Assert.Equal(1, unpublished);
        }

        await using var after = new OneThingHost(database);
        var api = new ApiClient(after);
        await api.ApproveAsync((await api.WaitForTaskAsync("household-registration", caseId)).Id);
        await api.ApproveAsync((await api.WaitForTaskAsync("social-security", caseId)).Id);
        await api.ApproveAsync((await api.WaitForTaskAsync("medical-insurance", caseId)).Id);

        var completed = await api.WaitForCaseAsync(caseId, c => c.Status == "completed", "the case to complete after the restart");
        Assert.Equal(1, completed.History.Count(h => h.Type == "task-dispatched" && h.StepId == "household"));
        var householdTasks = await after.WithDbAsync(db => db.DepartmentTasks.CountAsync(t => t.CaseId == caseId && t.StepId == "household"));
        Assert.Equal(1, householdTasks);
    }

    [Fact]
    public async Task A_task_whose_message_was_lost_is_sent_again_until_the_department_acknowledges_it()
    {
        var database = await postgres.CreateDatabaseAsync();
        Guid caseId;
        await using (var departmentsDown = new OneThingHost(database, new Dictionary<string, string?> { ["Processing:DepartmentConsumersEnabled"] = "false" }))
        {
            var api = new ApiClient(departmentsDown);
            caseId = (await api.FileIdentityChangeAsync()).Id;
            await Eventually.MatchAsync(
                () => departmentsDown.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.CaseId == caseId && m.PublishedAt == null)),
                pending => pending == 0, "the relay to publish into the void");
            Assert.Empty(await api.InboxAsync("household-registration"));
        }

        await using var departmentsBack = new OneThingHost(database, new Dictionary<string, string?>
        {
            ["Processing:AcknowledgeTimeout"] = "00:00:00.500",
            ["Processing:ResendCheckInterval"] = "00:00:00.200",
        });
        var backApi = new ApiClient(departmentsBack);

        var task = await backApi.WaitForTaskAsync("household-registration", caseId);

        Assert.True(task.DispatchAttempts >= 2, $"dispatch attempts: {task.DispatchAttempts}");
        var @case = await backApi.GetCaseAsync(caseId);
        Assert.Contains(@case.History, h => h.Type == "task-redispatched" && h.StepId == "household");
        Assert.Equal(1, @case.History.Count(h => h.Type == "task-received" && h.StepId == "household"));
    }

    [Fact]
    public async Task A_department_system_answering_twice_changes_nothing_the_second_time()
    {
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync());
        var api = new ApiClient(host);
        var filed = await api.FileIdentityChangeAsync(hasSchoolAgeChild: false, ownsProperty: false);
        await api.ApproveAsync((await api.WaitForTaskAsync("household-registration", filed.Id)).Id);
        await api.WaitForTaskAsync("social-security", filed.Id);
        await api.WaitForTaskAsync("medical-insurance", filed.Id);
        var afterSystem = await api.WaitForCaseAsync(filed.Id,
            c => c.Steps.Single(s => s.StepId == "housing-fund").State == "approved", "the housing-fund system to answer");
        var housingFund = afterSystem.Steps.Single(s => s.StepId == "housing-fund");

        var historyBefore = afterSystem.History.Count;

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var decide = scope.ServiceProvider.GetRequiredService<DecideTask>();
            var repeat = await decide.HandleAsync(new DecideTaskCommand(housingFund.TaskId!.Value, Decision.Approve, "again",
                AuditActor.DepartmentSystem("housing-fund"), DecisionSource.DepartmentSystem), CancellationToken.None);
            Assert.True(repeat.IsDone);
            Assert.Equal(TaskState.Approved, repeat.Value!.TaskState);
        }

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var decide = scope.ServiceProvider.GetRequiredService<DecideTask>();
            var contradiction = await decide.HandleAsync(new DecideTaskCommand(housingFund.TaskId!.Value, Decision.Reject, "late",
                AuditActor.DepartmentSystem("housing-fund"), DecisionSource.DepartmentSystem), CancellationToken.None);
            Assert.True(contradiction.IsDone);
            Assert.Equal(TaskState.Approved, contradiction.Value!.TaskState);
        }

        var unchanged = await api.GetCaseAsync(filed.Id);
        Assert.Equal(historyBefore, unchanged.History.Count);
        Assert.Equal("approved", unchanged.Steps.Single(s => s.StepId == "housing-fund").State);
        Assert.Equal("running", unchanged.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await api.ApproveAsync(housingFund.TaskId!.Value)).StatusCode);
    }
}
