using OneThing.Processing.DepartmentTasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Bench.Filing;
using OneThing.Bench.Infrastructure;
using OneThing.Bench.Lifecycle;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Tests.Bench;

/// <summary>The lifecycle benchmark's load and its pgbench script on a small scale, so both keep working as the API and the schema move on.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class LifecycleBenchmarkTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_lifecycle_load_takes_every_case_it_files_to_completed_approving_each_review_task_once_through_the_api()
    {
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync());
        var reviewers = new Dictionary<string, HttpClient>();
        foreach (var department in LifecycleLoad.ReviewingDepartments)
        {
            reviewers[department] = await host.ClientForAsync(Staff.Reviewer(department));
        }

        var run = await LifecycleLoad.RunAsync(
            new LifecycleClients(await host.ClientForAsync(Staff.Clerk), reviewers),
            new LifecycleShape(Cases: 4, Clerks: 2, ApproversPerDepartment: 2), firstSeed: 7, CancellationToken.None);

        Assert.Equal(4, run.Filed.Select(c => c.CaseId).Distinct().Count());
        Assert.Equal(run.Filed.Select(c => c.CaseId).Order(), run.Completed.Select(c => c.CaseId).Order());
        Assert.All(LifecycleLoad.ReviewingDepartments, department => Assert.Equal(4, run.Decisions.Count(d => d.Department == department)));
        var tasks = await host.WithDbAsync(db => db.DepartmentTasks.Select(t => new { t.StepId, t.State, t.Assignee, t.Comment }).ToListAsync());
        Assert.Equal(["household", "housing-fund", "medical-insurance", "social-security"], tasks.Select(t => t.StepId).Distinct().Order());
        Assert.All(tasks, task => Assert.Equal(TaskState.Approved, task.State));
        Assert.All(tasks.Where(t => t.StepId != "housing-fund"), task => Assert.Equal(LifecycleLoad.Comment, task.Comment));
        Assert.All(tasks.Where(t => t.StepId == "housing-fund"), task => Assert.Equal("system:housing-fund", task.Assignee));
        Assert.All(run.Completed, completed => Assert.True(completed.EndedAt > completed.FiledAt));
    }

    [Fact]
    public async Task The_decision_script_approves_filed_household_tasks_and_writes_the_next_three_in_the_services_own_shape()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var services = BenchServices.Build(connectionString);
        await BenchServices.PrepareDatabaseAsync(services.Services, CancellationToken.None);

        await FilingBenchmark.AddUnusedUploadsAsync(connectionString, 3, CancellationToken.None);
        await Pgbench.RunAsync(connectionString, Pgbench.Script(FilingBenchmark.FilingScript), 1, 3, null, CancellationToken.None);
        var decided = await Pgbench.RunAsync(connectionString, Pgbench.Script(LifecycleBenchmark.DecisionScript), 2, 1, null, CancellationToken.None);

        Assert.Equal(2, decided.Transactions);
        await using var scope = services.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        var households = await db.DepartmentTasks.Where(t => t.StepId == "household").ToListAsync();
        Assert.Equal(2, households.Count(t => t.State == TaskState.Approved));
        Assert.Equal(1, households.Count(t => t.State == TaskState.Dispatched));
        var approved = households.Where(t => t.State == TaskState.Approved).Select(t => t.CaseId).ToHashSet();
        var next = await db.DepartmentTasks.Where(t => t.StepId != "household").ToListAsync();
        Assert.All(approved, caseId => Assert.Equal(["housing-fund", "medical-insurance", "social-security"],
            next.Where(t => t.CaseId == caseId).Select(t => t.StepId).Order()));
        Assert.Equal(6, await db.OutboxMessages.CountAsync(m => m.MessageType == "RequestDepartmentTask" && m.Destination != "department-household-registration"));
        List<Guid?> nextIds = [.. next.Select(t => (Guid?)t.Id)];
        List<Guid?> decidedIds = [.. households.Where(t => t.State == TaskState.Approved).Select(t => (Guid?)t.Id)];
        Assert.Equal(24, await db.Timers.CountAsync(t => nextIds.Contains(t.TaskId) && t.CancelledAt == null));
        Assert.Equal(0, await db.Timers.CountAsync(t => decidedIds.Contains(t.TaskId) && t.CancelledAt == null));

        // The state the script writes must be one the service can go on from.
        foreach (var record in await db.Cases.Where(c => approved.Contains(c.Id)).ToListAsync())
        {
            var state = CaseDocuments.ReadState(record);
            Assert.Equal(StepStatus.Approved, state.FindStep("household")!.Status);
            Assert.Equal(next.Single(t => t.CaseId == record.Id && t.StepId == "social-security").Id, state.FindStep("social-security")!.TaskId);
            Assert.Equal([StepStatus.Skipped, StepStatus.Skipped], [state.FindStep("education")!.Status, state.FindStep("real-estate")!.Status]);
        }
    }
}
