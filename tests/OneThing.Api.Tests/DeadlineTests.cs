using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Deadlines;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class DeadlineTests(PostgresServer postgres)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    // The last working day before the 2026 National Day holiday (1-7 October).
    private static readonly DateTimeOffset LastDayBeforeHoliday = new(2026, 9, 30, 10, 0, 0, Beijing);

    private static readonly Dictionary<string, string?> ManualSweeps = new() { ["Deadlines:SweepInterval"] = "01:00:00" };

    private static OneThingHost Host(string database, TestClock clock) => new(database, ManualSweeps, clock);

    private static Task<int> SweepAsync(OneThingHost host) =>
        host.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None);

    [Fact]
    public async Task A_case_filed_before_the_national_day_holiday_falls_due_after_it()
    {
        var clock = new TestClock(LastDayBeforeHoliday);
        await using var host = Host(await postgres.CreateDatabaseAsync(), clock);
        var api = new ApiClient(host);

        var filed = await api.FileIdentityChangeAsync();

        var household = filed.Steps.Single(s => s.StepId == "household").Deadline;
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 17, 30, 0, Beijing), household.DueAt);
        Assert.Equal("1 workday", household.Sla);
        Assert.Equal("green", household.Light);
        // 5 working days: 8, 9, 10 (adjusted Saturday), 12 and 13 October.
        Assert.Equal(new DateTimeOffset(2026, 10, 13, 17, 30, 0, Beijing), filed.Deadline.DueAt);
        var inboxTask = await api.WaitForTaskAsync("household-registration", filed.Id);
        Assert.Equal(household.DueAt, inboxTask.Deadline.DueAt);
    }

    [Fact]
    public async Task A_task_turns_yellow_then_red_escalates_and_stays_so_across_a_restart()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new TestClock(LastDayBeforeHoliday);
        Guid caseId;
        await using (var host = Host(database, clock))
        {
            var api = new ApiClient(host);
            caseId = (await api.FileIdentityChangeAsync()).Id;
            await api.WaitForTaskAsync("household-registration", caseId);

            // 13.5 working hours in all; 80% of them have passed at 14:48 on 8 October.
            clock.Set(new DateTimeOffset(2026, 10, 8, 14, 47, 0, Beijing));
            await SweepAsync(host);
            Assert.Equal("green", await HouseholdLightAsync(api, caseId));

            clock.Set(new DateTimeOffset(2026, 10, 8, 14, 49, 0, Beijing));
            await SweepAsync(host);
            Assert.Equal("yellow", await HouseholdLightAsync(api, caseId));
            Assert.Single((await api.GetCaseAsync(caseId)).History, h => h.Type == "task-warning");
        }

        await using (var restarted = Host(database, clock))
        {
            var api = new ApiClient(restarted);
            Assert.Equal("yellow", await HouseholdLightAsync(api, caseId));

            clock.Set(new DateTimeOffset(2026, 10, 8, 17, 31, 0, Beijing));
            await SweepAsync(restarted);
            var breached = await api.GetCaseAsync(caseId);
            Assert.Equal("red", breached.Steps.Single(s => s.StepId == "household").Deadline.Light);
            Assert.Single(breached.History, h => h.Type == "task-breached");
            Assert.Single(breached.History, h => h.Type == "task-escalated" && h.Detail!.Contains("department-head"));
            Assert.DoesNotContain(breached.History, h => h.Type == "task-escalated" && h.Detail!.Contains("supervisor"));

            var breaches = await api.As(Staff.Supervisor).GetFromJsonAsync<JsonElement>("/api/supervision/breaches");
            Assert.Equal("household", breaches.GetProperty("items")[0].GetProperty("stepId").GetString());

            // 150% of the SLA: 16:45 on 9 October.
            clock.Set(new DateTimeOffset(2026, 10, 9, 16, 46, 0, Beijing));
            await SweepAsync(restarted);
            await SweepAsync(restarted);
            var escalated = await api.GetCaseAsync(caseId);
            Assert.Single(escalated.History, h => h.Type == "task-escalated" && h.Detail!.Contains("supervisor"));
            Assert.Single(escalated.History, h => h.Type == "task-warning");
            Assert.Single(escalated.History, h => h.Type == "task-breached");
        }
    }

    [Fact]
    public async Task Two_hosts_sweeping_together_fire_each_timer_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new TestClock(LastDayBeforeHoliday);
        await using var first = Host(database, clock);
        await using var second = Host(database, clock);
        var api = new ApiClient(first);
        second.CreateClient();
        var cases = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            cases.Add((await api.FileIdentityChangeAsync()).Id);
        }

        var pending = await first.WithDbAsync(db => db.Timers.CountAsync(t => t.FiredAt == null && t.CancelledAt == null));
        clock.Set(new DateTimeOffset(2026, 12, 31, 18, 0, 0, Beijing));

        var fired = await Task.WhenAll(SweepAsync(first), SweepAsync(second), SweepAsync(first), SweepAsync(second));

        Assert.Equal(pending, fired.Sum());
        Assert.True(fired.Sum() >= 8 * 6, $"fired {fired.Sum()}");
        foreach (var caseId in cases)
        {
            var history = (await api.GetCaseAsync(caseId)).History;
            Assert.Single(history, h => h.Type == "task-breached");
            Assert.Single(history, h => h.Type == "case-breached");
            Assert.Equal(2, history.Count(h => h.Type == "task-escalated"));
        }
    }

    [Fact]
    public async Task Deciding_a_task_cancels_its_timers()
    {
        var clock = new TestClock(LastDayBeforeHoliday);
        await using var host = Host(await postgres.CreateDatabaseAsync(), clock);
        var api = new ApiClient(host);
        var filed = await api.FileIdentityChangeAsync();
        var task = await api.WaitForTaskAsync("household-registration", filed.Id);

        await api.ApproveAsync(task.Id);
        clock.Set(new DateTimeOffset(2026, 10, 8, 18, 0, 0, Beijing));
        await SweepAsync(host);

        var history = (await api.GetCaseAsync(filed.Id)).History;
        Assert.DoesNotContain(history, h => h.StepId == "household" && h.Type is "task-breached" or "task-warning");
        Assert.Equal(0, await host.WithDbAsync(db => db.Timers.CountAsync(t => t.TaskId == task.Id && t.FiredAt == null && t.CancelledAt == null)));
    }

    [Fact]
    public async Task Timers_that_came_due_while_the_service_was_down_fire_when_it_comes_back()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new TestClock(LastDayBeforeHoliday);
        Guid caseId;
        await using (var before = Host(database, clock))
        {
            var api = new ApiClient(before);
            caseId = (await api.FileIdentityChangeAsync()).Id;
            await api.WaitForTaskAsync("household-registration", caseId);
        }

        clock.Set(new DateTimeOffset(2026, 10, 8, 18, 0, 0, Beijing));
        await using var after = new OneThingHost(database, clock: clock);
        var afterApi = new ApiClient(after);

        var breached = await afterApi.WaitForCaseAsync(caseId, c => c.History.Any(h => h.Type == "task-breached"), "the missed deadline to fire on start-up");
        Assert.Equal("red", breached.Steps.Single(s => s.StepId == "household").Deadline.Light);
        Assert.Single(breached.History, h => h.Type == "task-warning");
    }

    private static async Task<string?> HouseholdLightAsync(ApiClient api, Guid caseId) =>
        (await api.GetCaseAsync(caseId)).Steps.Single(s => s.StepId == "household").Deadline.Light;
}
