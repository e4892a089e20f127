using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using OneThing.Bench.Infrastructure;
using OneThing.Bench.Reporting;
using OneThing.Processing.Deadlines;

namespace OneThing.Bench.Sweep;

/// <param name="WarmUpSweeps">
/// Unmeasured sweeps after the first: the runtime compiles a method with its optimising tier only after some calls and a
/// quiet moment, and a service that has run for a while sweeps with that code. The first sweep is reported on its own.
/// </param>
public sealed record SweepSettings(IReadOnlyList<int> OpenTasks, int DueTimers, int Repetitions, int WarmUpSweeps, string? Connection, string? MarkdownPath,
    bool Keep);

/// <summary>
/// One deadline sweep (the service's own <see cref="DeadlineSweeper.SweepAsync"/>) over the same due timers, with few and
/// with many open tasks; beside it, pgbench firing the same timers in plain SQL on the same database.
/// </summary>
public sealed class SweepBenchmark(SweepSettings settings)
{
    private const string FireScript = "sweep-fire.pgbench.sql";
    private const string ClaimScript = "sweep-claim.pgbench.sql";
    private const string CommitScript = "commit.pgbench.sql";
    private const int ClaimTransactions = 200;

    private sealed record SizeResult(
        SweepScenario Scenario,
        double FirstSweepMs,
        IReadOnlyList<double> SweepsMs,
        IReadOnlyList<PgbenchResult> PgbenchFires,
        PgbenchResult PgbenchClaims,
        PgbenchResult PgbenchCommits,
        QueryPlan Plan,
        int BatchSize);

    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        StandaloneRun.RunAsync(settings.Connection, settings.MarkdownPath, "sweep", MeasureAsync, cancellationToken);

    /// <summary>Measures each size on a database of its own on <paramref name="server"/>, dropped afterwards unless kept.</summary>
    public async Task<Report> MeasureAsync(BenchServer server, CancellationToken cancellationToken)
    {
        MachineInfo? machine = null;
        var results = new List<SizeResult>();
        foreach (var openTasks in settings.OpenTasks)
        {
            var database = $"onething_bench_sweep_{openTasks}";
            var connectionString = await server.CreateDatabaseAsync(database, cancellationToken);
            machine ??= await MachineInfo.ReadAsync(connectionString, cancellationToken);
            try
            {
                results.Add(await MeasureSizeAsync(connectionString, openTasks, cancellationToken));
            }
            finally
            {
                if (!settings.Keep)
                {
                    await server.DropDatabaseAsync(database, cancellationToken);
                }
            }
        }

        return BuildReport(machine!, results);
    }

    private async Task<SizeResult> MeasureSizeAsync(string connectionString, int openTasks, CancellationToken cancellationToken)
    {
        using var host = BenchServices.Build(connectionString);
        await BenchServices.PrepareDatabaseAsync(host.Services, cancellationToken);
        var loader = new OpenTaskLoader(host.Services, Report.Progress);
        Report.Progress($"Loading {openTasks:N0} open tasks, {settings.DueTimers} of them past their deadline");
        var scenario = await loader.LoadAsync(openTasks, settings.DueTimers, cancellationToken);
        Report.Progress($"Loaded in {scenario.LoadTime.TotalSeconds:0.0} s, vacuumed and checkpointed in {scenario.VacuumAndCheckpointTime.TotalSeconds:0.0} s; " +
                        $"{scenario.PendingTimers:N0} pending timers");

        var sweeper = host.Services.GetRequiredService<DeadlineSweeper>();
        var firstSweep = await TimeSweepAsync(sweeper, cancellationToken);
        for (var warmUp = 1; warmUp <= settings.WarmUpSweeps; warmUp++)
        {
            await loader.RearmAsync(scenario, cancellationToken);
            var unmeasured = await TimeSweepAsync(sweeper, cancellationToken);
            if (warmUp % 10 == 0 || warmUp == settings.WarmUpSweeps)
            {
                Report.Progress($"{openTasks:N0} open tasks, warm-up sweep {warmUp}/{settings.WarmUpSweeps}: {Report.Ms(unmeasured)}");
            }
        }

        var sweeps = new List<double>();
        var fires = new List<PgbenchResult>();
        // Ours and pgbench take turns, so a burst of load from elsewhere on the machine does not land on one side only.
        for (var repetition = 1; repetition <= settings.Repetitions; repetition++)
        {
            await loader.RearmAsync(scenario, cancellationToken);
            sweeps.Add(await TimeSweepAsync(sweeper, cancellationToken));
            await loader.RearmAsync(scenario, cancellationToken);
            fires.Add(await Pgbench.RunAsync(connectionString, Pgbench.Script(FireScript), 1, settings.DueTimers, null, cancellationToken));
            Report.Progress($"{openTasks:N0} open tasks, repetition {repetition}/{settings.Repetitions}: " +
                            $"sweep {Report.Ms(sweeps[^1])}, pgbench {Report.Ms(fires[^1].Elapsed.TotalMilliseconds)}");
        }

        await loader.RearmAsync(scenario, cancellationToken);
        var batchSize = host.Services.GetRequiredService<IOptions<DeadlineOptions>>().Value.SweepBatchSize;
        var plan = await QueryPlan.ExplainDueTimersAsync(connectionString, batchSize, cancellationToken);
        var claims = await Pgbench.RunAsync(connectionString, Pgbench.Script(ClaimScript), 1, ClaimTransactions,
            new Dictionary<string, string> { ["batch"] = batchSize.ToString() }, cancellationToken);
        var commits = await Pgbench.RunAsync(connectionString, Pgbench.Script(CommitScript), 1, ClaimTransactions, null, cancellationToken);
        return new SizeResult(scenario, firstSweep, sweeps, fires, claims, commits, plan, batchSize);
    }

    private async Task<double> TimeSweepAsync(DeadlineSweeper sweeper, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var fired = await sweeper.SweepAsync(cancellationToken);
        stopwatch.Stop();
        if (fired != settings.DueTimers)
        {
            throw new InvalidOperationException($"The sweep fired {fired} timers; {settings.DueTimers} were due");
        }

        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private Report BuildReport(MachineInfo machine, IReadOnlyList<SizeResult> results)
    {
        var due = settings.DueTimers;
        var batchSize = results[0].BatchSize;
        var report = new Report("Deadline sweep: one sweep over the due timers, few vs many open tasks", machine,
        [
            ("open tasks", string.Join(" and ", settings.OpenTasks.Select(n => n.ToString("N0")))),
            ("due timers per sweep", due.ToString("N0")),
            ("repetitions", $"{settings.Repetitions} (medians; each after re-arming the same timers), after {settings.WarmUpSweeps + 1} unmeasured"),
            ("sweep batch size", batchSize.ToString()),
            ("pgbench", $"1 client, {due} transactions (one per timer), -M prepared"),
            ("load average at end", MachineInfo.CurrentLoadAverage()),
        ]);
        string[] columns = ["", .. results.Select(r => $"{r.Scenario.OpenTasks:N0} open tasks")];
        IReadOnlyList<string> Row(string name, Func<SizeResult, string> cell) => [name, .. results.Select(cell)];

        report.AddChart(new BarChart($"One sweep of {due} due timers, by open tasks", "ms (median)",
            [.. results.Select(r => $"{r.Scenario.OpenTasks:N0} open tasks")],
            [
                ("OneThing DeadlineSweeper", [.. results.Select(r => Stats.Median(r.SweepsMs))]),
                ("pgbench, same rows", [.. results.Select(r => Stats.Median(r.PgbenchFires.Select(f => f.Elapsed.TotalMilliseconds)))]),
            ]));
        report.Add(new ResultTable("Data", columns,
        [
            Row("pending timers", r => r.Scenario.PendingTimers.ToString("N0")),
            Row("database size", r => $"{r.Scenario.DatabaseBytes / 1024.0 / 1024 / 1024:0.00} GiB"),
            Row("load (INSERT … SELECT generate_series)", r => $"{r.Scenario.LoadTime.TotalSeconds:0.0} s"),
            Row("VACUUM (ANALYZE) and CHECKPOINT after load", r => $"{r.Scenario.VacuumAndCheckpointTime.TotalSeconds:0.0} s"),
        ]));
        report.Add(new ResultTable($"One sweep of {due} due timers", columns,
        [
            Row("OneThing DeadlineSweeper.SweepAsync, median", r => Report.Ms(Stats.Median(r.SweepsMs))),
            Row("OneThing, p95", r => Report.Ms(Stats.Percentile(r.SweepsMs, 95))),
            Row("OneThing, per timer (median)", r => Report.Ms(Stats.Median(r.SweepsMs) / due)),
            Row("OneThing, first sweep after load", r => Report.Ms(r.FirstSweepMs)),
            Row($"pgbench {FireScript}, median", r => Report.Ms(Stats.Median(r.PgbenchFires.Select(f => f.Elapsed.TotalMilliseconds)))),
            Row("pgbench, p95", r => Report.Ms(Stats.Percentile(r.PgbenchFires.Select(f => f.Elapsed.TotalMilliseconds), 95))),
            Row("pgbench, per timer (median)", r => Report.Ms(Stats.Median(r.PgbenchFires.Select(f => f.Elapsed.TotalMilliseconds)) / due)),
            Row("OneThing ÷ pgbench", r =>
                $"{Stats.Median(r.SweepsMs) / Stats.Median(r.PgbenchFires.Select(f => f.Elapsed.TotalMilliseconds)):0.0}×"),
            Row($"pgbench {CommitScript}: one durable commit, the floor per timer", r => Report.Ms(Stats.Median(r.PgbenchCommits.LatenciesMs))),
        ]));
        report.Add(new ResultTable("The due-timer query alone", columns,
        [
            Row("index used", r => r.Plan.UsesIndex ? $"yes ({QueryPlan.PendingDueIndex})" : "NO"),
            Row("EXPLAIN ANALYZE execution time", r => Report.Ms(r.Plan.ExecutionMs)),
            Row("shared buffers touched", r => r.Plan.Buffers),
            Row($"pgbench {ClaimScript} (… FOR UPDATE SKIP LOCKED), median", r => Report.Ms(Stats.Median(r.PgbenchClaims.LatenciesMs))),
            Row("pgbench claim, p95", r => Report.Ms(Stats.Percentile(r.PgbenchClaims.LatenciesMs, 95))),
        ]));
        foreach (var result in results)
        {
            report.AddDetail($"EXPLAIN (ANALYZE, BUFFERS) of the sweeper's due-timer query, {result.Scenario.OpenTasks:N0} open tasks",
                result.Plan.Text);
        }

        report.AddNote("OneThing: the service's DeadlineSweeper, one transaction per timer (lock the case, claim the timer with " +
                       "SKIP LOCKED, mark the task breached, write its history row, commit), through EF Core and Npgsql.");
        report.AddNote($"pgbench: deploy/bench/{FireScript}, the same rows and locks in plain SQL, one transaction per timer; " +
                       $"deploy/bench/{ClaimScript}: the due-timer claim query alone, rolled back, {ClaimTransactions} times; " +
                       $"deploy/bench/{CommitScript}: a commit that writes one small WAL record, flushed to disk.");
        return report;
    }
}
