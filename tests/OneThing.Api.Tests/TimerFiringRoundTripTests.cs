using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Deadlines;
using Xunit.Abstractions;

namespace OneThing.Api.Tests;

/// <summary>
/// The sweep stays lean: what firing one due timer sends to PostgreSQL, counted on the real connection, so that an
/// extra query per timer cannot creep back unnoticed.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class TimerFiringRoundTripTests(PostgresServer postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>The statements of one timer's transaction: lock the case, claim the timer with its task, one batch ending with the commit.</summary>
    private const int StatementsPerTimer = 3;

    [Fact]
    public async Task A_due_warning_fires_with_a_case_lock_one_claim_with_its_task_and_one_batch_that_commits()
    {
        var (host, api, clock, caseId) = await FiledCaseAsync();
        await using var _ = host;

        // 80% of the household step's 13.5 working hours have passed: only its warning is due.
        clock.Set(new DateTimeOffset(2026, 10, 8, 14, 49, 0, Beijing));
        var (fired, sent) = await CountedSweepAsync(host, "warning");

        Assert.Equal(1, fired);
        Assert.Single((await api.GetCaseAsync(caseId)).History, h => h.Type == "task-warning");
        AssertOneTransactionPerTimer(sent, fired);
    }

    [Fact]
    public async Task A_breach_without_on_breach_actions_and_its_escalation_fire_in_three_statements_each_and_leave_the_case_row_alone()
    {
        var (host, api, clock, caseId) = await FiledCaseAsync();
        await using var _ = host;

        // Past the deadline: the warning, the breach and the first escalation are due together.
        clock.Set(new DateTimeOffset(2026, 10, 8, 17, 31, 0, Beijing));
        var (fired, sent) = await CountedSweepAsync(host, "breach");

        Assert.Equal(3, fired);
        var breached = await api.GetCaseAsync(caseId);
        var household = breached.Steps.Single(s => s.StepId == "household");
        Assert.Equal("red", household.Deadline.Light);
        Assert.NotNull(household.BreachedAt);
        Assert.Single(breached.History, h => h.Type == "task-breached");
        Assert.Single(breached.History, h => h.Type == "task-escalated");
        // The household step has no on_breach actions: the engine is not run and the case row is not rewritten; the
        // case view shows the breach from the task.
        Assert.DoesNotContain(sent, text => text.Contains("UPDATE cases"));
        AssertOneTransactionPerTimer(sent, fired);
    }

    /// <summary>A case whose household task waits in its inbox; filing it warmed the caches and the connection pool.</summary>
    private async Task<(OneThingHost Host, ApiClient Api, TestClock Clock, Guid CaseId)> FiledCaseAsync()
    {
        // The last working day before the 2026 National Day holiday; the household step falls due on 8 October 17:30.
        var clock = new TestClock(new DateTimeOffset(2026, 9, 30, 10, 0, 0, Beijing));
        var host = new OneThingHost(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Deadlines:SweepInterval"] = "01:00:00" },
            clock, RoundTripCounter.Register);
        var api = new ApiClient(host);
        var caseId = (await api.FileIdentityChangeAsync()).Id;
        await api.WaitForTaskAsync("household-registration", caseId);
        return (host, api, clock, caseId);
    }

    private async Task<(int Fired, IReadOnlyList<string> Sent)> CountedSweepAsync(OneThingHost host, string key)
    {
        var counter = host.Services.GetRequiredService<RoundTripCounter>();
        var sweeper = host.Services.GetRequiredService<DeadlineSweeper>();
        var fired = await counter.CountAsync(key, () => sweeper.SweepAsync(CancellationToken.None));
        var sent = counter.SentBy(key);
        output.WriteLine(string.Join("\n", sent.Select(text => text.Split('\n')[0])));
        return (fired, sent);
    }

    /// <summary>The due-timer query, then per timer exactly its three statements, in order.</summary>
    private static void AssertOneTransactionPerTimer(IReadOnlyList<string> sent, int fired)
    {
        Assert.Contains("ORDER BY due_at", sent[0]);
        Assert.Equal(1 + fired * StatementsPerTimer, sent.Count);
        foreach (var timer in sent.Skip(1).Chunk(StatementsPerTimer))
        {
            Assert.Contains("FROM cases", timer[0]);
            Assert.Contains("FOR NO KEY UPDATE", timer[0]);
            Assert.Contains("SKIP LOCKED", timer[1]);
            Assert.Contains("department_tasks", timer[1]);
            Assert.Contains("UPDATE timers", timer[2]);
            Assert.EndsWith("COMMIT;\n", timer[2]);
        }
    }
}
