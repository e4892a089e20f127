using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Tests;

/// <summary>
/// /metrics as Prometheus reads it. The meter is one per process and other tests' hosts count into it too, so each
/// test compares a scrape after with one before.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class MetricsTests(PostgresServer postgres)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset LastDayBeforeHoliday = new(2026, 9, 30, 10, 0, 0, Beijing);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Deadlines:SweepInterval"] = "01:00:00",
        ["Telemetry:LagProbeInterval"] = "00:00:00.100",
        ["Telemetry:ScrapeCacheMilliseconds"] = "0",
    };

    [Fact]
    public async Task Metrics_count_the_case_filed_and_its_tasks_opened_and_decided_by_department_and_decision()
    {
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), Settings, new TestClock(LastDayBeforeHoliday));
        var api = new ApiClient(host);
        var scraper = host.CreateClient();
        var before = await PrometheusScrape.ReadAsync(scraper);

        var filed = await api.FileIdentityChangeAsync(hasSchoolAgeChild: false, ownsProperty: false);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, api.ApproveAsync((await api.WaitForTaskAsync("household-registration", filed.Id)).Id));
        // The housing fund's system (simulated here) answers over the bus; its approval is counted like a reviewer's.
        await api.WaitForCaseAsync(filed.Id, c => ApiClient.Step(c, "housing-fund").TaskState == "approved", "the housing fund's system to approve");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, api.RejectAsync((await api.WaitForTaskAsync("social-security", filed.Id)).Id, "参保信息不符"));
        await api.WaitForCaseAsync(filed.Id, c => c.Status == "rejected", "the case to end rejected");

        var after = await Eventually.MatchAsync(() => PrometheusScrape.ReadAsync(scraper),
            scrape => Delta(before, scrape, "onething_tasks_decided_total") == 3, "three decisions on /metrics");
        Assert.Equal(1, Delta(before, after, "onething_cases_filed_total", ("workflow", "identity-change")));
        foreach (var department in new[] { "household-registration", "social-security", "medical-insurance", "housing-fund" })
        {
            Assert.Equal(1, Delta(before, after, "onething_tasks_opened_total", ("department", department)));
        }

        Assert.Equal(4, Delta(before, after, "onething_tasks_opened_total"));
        Assert.Equal(1, Delta(before, after, "onething_tasks_decided_total", ("department", "household-registration"), ("decision", "approved")));
        Assert.Equal(1, Delta(before, after, "onething_tasks_decided_total", ("department", "housing-fund"), ("decision", "approved")));
        Assert.Equal(1, Delta(before, after, "onething_tasks_decided_total", ("department", "social-security"), ("decision", "rejected")));
        // Medical insurance's task was cancelled when the case ended: cancelled is not decided.
        Assert.Equal(0, Delta(before, after, "onething_tasks_decided_total", ("department", "medical-insurance")));
        Assert.True(Delta(before, after, "onething_outbox_delay_seconds_count") >= 4, "every relayed outbox row is timed");
        Assert.DoesNotContain(filed.CaseNumber, after.Text);
        Assert.DoesNotContain(filed.Id.ToString(), after.Text);
    }

    [Fact]
    public async Task A_refused_filing_counts_nothing()
    {
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), Settings, new TestClock(LastDayBeforeHoliday));
        var api = new ApiClient(host);
        var scraper = host.CreateClient();
        var before = await PrometheusScrape.ReadAsync(scraper);
        var form = await api.IdentityChangeFormAsync();
        form["idNumber"] = "110105194912310021";

        await ApiClient.ExpectAsync(HttpStatusCode.BadRequest, api.PostCaseAsync(new { workflowId = "identity-change", form }));
        await api.FileIdentityChangeAsync();

        var after = await Eventually.MatchAsync(() => PrometheusScrape.ReadAsync(scraper),
            scrape => Delta(before, scrape, "onething_tasks_opened_total") == 1, "the accepted filing's task on /metrics");
        Assert.Equal(1, Delta(before, after, "onething_cases_filed_total", ("workflow", "identity-change")));
    }

    [Fact]
    public async Task A_missed_deadline_counts_a_breach_and_how_late_its_timer_fired_and_the_sweep_lag_shows_until_the_sweep()
    {
        var clock = new TestClock(LastDayBeforeHoliday);
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), Settings, clock);
        var api = new ApiClient(host);
        var scraper = host.CreateClient();
        var filed = await api.FileIdentityChangeAsync();
        var task = await api.WaitForTaskAsync("household-registration", filed.Id);
        await Eventually.MatchAsync(() => PrometheusScrape.ReadAsync(scraper), scrape => scrape.Has("onething_sweep_lag_seconds")
            && scrape.Value("onething_sweep_lag_seconds") == 0 && scrape.Value("onething_outbox_lag_seconds") == 0, "both lags at 0");
        var before = await PrometheusScrape.ReadAsync(scraper);

        // An hour and a half after the household task fell due (17:30 on 8 October), no sweep having run yet.
        clock.Set(new DateTimeOffset(2026, 10, 8, 19, 0, 0, Beijing));
        var earliestDue = await host.WithDbAsync(db => db.Timers.Where(t => t.FiredAt == null && t.CancelledAt == null && t.DueAt <= clock.GetUtcNow())
            .MinAsync(t => t.DueAt));
        var expectedLag = (clock.GetUtcNow() - earliestDue).TotalSeconds;
        var lagging = await Eventually.MatchAsync(() => PrometheusScrape.ReadAsync(scraper),
            scrape => scrape.Value("onething_sweep_lag_seconds") > 0, "the sweep lag to show the overdue timers");
        Assert.Equal(expectedLag, lagging.Value("onething_sweep_lag_seconds"), precision: 3);

        await host.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None);

        var after = await Eventually.MatchAsync(() => PrometheusScrape.ReadAsync(scraper),
            scrape => scrape.Value("onething_sweep_lag_seconds") == 0, "the sweep lag to fall back to 0");
        Assert.Equal(1, Delta(before, after, "onething_tasks_breached_total", ("department", "household-registration")));
        Assert.Equal(1, Delta(before, after, "onething_sweep_delay_seconds_count", ("kind", TimerKinds.TaskBreach)));
        Assert.Equal(90 * 60, Delta(before, after, "onething_sweep_delay_seconds_sum", ("kind", TimerKinds.TaskBreach)), precision: 3);
        Assert.Equal(1, Delta(before, after, "onething_sweep_delay_seconds_count", ("kind", TimerKinds.TaskWarning)));
        Assert.Contains(task.Id, await host.WithDbAsync(db => db.DepartmentTasks.Where(t => t.BreachedAt != null).Select(t => t.Id).ToListAsync()));
    }

    [Fact]
    public async Task An_outbox_nobody_relays_shows_as_an_outbox_lag_that_grows_with_the_oldest_row()
    {
        var clock = new TestClock(LastDayBeforeHoliday);
        var settings = new Dictionary<string, string?>(Settings) { ["Processing:OutboxRelayEnabled"] = "false" };
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), settings, clock);
        var api = new ApiClient(host);
        var scraper = host.CreateClient();

        await api.FileIdentityChangeAsync();
        clock.Set(LastDayBeforeHoliday.AddMinutes(10));

        var lagging = await Eventually.MatchAsync(() => PrometheusScrape.ReadAsync(scraper),
            scrape => scrape.Value("onething_outbox_lag_seconds") > 0, "the outbox lag to show the waiting row");
        Assert.Equal(600, lagging.Value("onething_outbox_lag_seconds"), precision: 3);
    }

    [Fact]
    public async Task Metrics_are_served_to_anyone_in_prometheus_text_with_the_http_and_runtime_instruments()
    {
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), Settings);
        await host.CreateClient().GetAsync("/api/workflows");

        var scrape = await Eventually.MatchAsync(() => PrometheusScrape.ReadAsync(host.CreateClient()),
            s => s.Has("http_server_request_duration_seconds_count") && s.Has("onething_outbox_lag_seconds"), "the HTTP server instrument and the lag gauges");

        Assert.Contains(scrape.LabelValues("http_server_request_duration_seconds_count", "http_route"), route => route.TrimEnd('/') == "/api/workflows");
        Assert.True(scrape.Has("dotnet_gc_collections_total") || scrape.Text.Contains("process_runtime_dotnet", StringComparison.Ordinal),
            "runtime instruments are exported");
        Assert.Contains("# TYPE onething_outbox_lag_seconds gauge", scrape.Text);
        Assert.Contains("# TYPE onething_sweep_lag_seconds gauge", scrape.Text);
    }

    private static double Delta(PrometheusScrape before, PrometheusScrape after, string name, params (string Label, string Value)[] labels) =>
        after.Value(name, labels) - before.Value(name, labels);
}
