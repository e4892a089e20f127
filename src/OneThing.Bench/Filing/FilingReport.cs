using OneThing.Bench.Infrastructure;
using OneThing.Bench.Reporting;
using static OneThing.Bench.Reporting.SideBySide;

namespace OneThing.Bench.Filing;

/// <summary>The filing benchmark's tables: one column per bus mode, each beside the pgbench rounds that took turns with it.</summary>
public static class FilingReport
{
    private static string Mib(long bytes) => bytes > 0 ? $"{bytes / 1024.0 / 1024:0} MiB" : "n/a";

    public static Report Build(FilingSettings settings, MachineInfo machine, IReadOnlyList<FilingModeResult> results, int perClient,
        PgbenchResult commits)
    {
        var report = new Report($"Filing identity-change cases, {settings.Concurrency} at a time", machine,
        [
            ("cases per round", $"{settings.Cases:N0} over HTTP; pgbench {settings.Concurrency} × {perClient} transactions"),
            ("concurrency", $"{settings.Concurrency} clients (closed loop)"),
            ("rounds", $"{settings.Rounds} per mode (medians), after {settings.Warmup} warm-up cases and an ANALYZE of both databases"),
            ("modes", string.Join("; ", results.Select(r => r.Mode.Title)) + " (one after another, each on a new database)"),
            .. results.Select(r => (r.Mode.Title, r.Service)),
            ("pgbench", $"deploy/bench/{FilingBenchmark.FilingScript}, -M prepared, -j {Math.Min(settings.Concurrency, Environment.ProcessorCount)}"),
            ("load average at end", MachineInfo.CurrentLoadAverage()),
        ]);

        string Ours(FilingModeResult result, double percentile) =>
            Report.Ms(Median(result.Rounds, r => Stats.Percentile(r.Cases.Select(c => c.LatencyMs), percentile)));
        string Inbox(FilingModeResult result, Func<InboxArrival, double> metric, double percentile) =>
            Report.Ms(Median(result.Rounds, r => Stats.Percentile(r.Arrivals.Select(metric), percentile)));
        double Pgbench(FilingModeResult result, double percentile) =>
            Median(result.Rounds, r => Stats.Percentile(r.Pgbench.LatenciesMs, percentile));
        double Throughput(FilingModeResult result) => Median(result.Rounds, r => r.Throughput);
        double PgbenchThroughput(FilingModeResult result) => Median(result.Rounds, r => r.Pgbench.TransactionsPerSecond);

        report.AddChart(new BarChart("Filing: cases a second over HTTP vs pgbench writing the same rows", "per second",
            [.. results.Select(r => r.Mode.Title)],
            [("OneThing cases", [.. results.Select(Throughput)]), ("pgbench transactions", [.. results.Select(PgbenchThroughput)])]));
        double[] percentiles = [50, 90, 99];
        report.AddChart(new BarChart("Filing latency: POST → 201, POST → first task in the inbox; one pgbench transaction", "ms",
            [.. percentiles.Select(p => $"POST p{p}"), .. percentiles.Select(p => $"first task p{p}")],
            [
                .. results.Select(r => (r.Mode.Title, (IReadOnlyList<double>)
                [
                    .. percentiles.Select(p => Median(r.Rounds, x => Stats.Percentile(x.Cases.Select(c => c.LatencyMs), p))),
                    .. percentiles.Select(p => Median(r.Rounds, x => Stats.Percentile(x.Arrivals.Select(a => a.FromSendingMs), p))),
                ])),
                ("pgbench (beside the first mode)", [.. percentiles.Select(p => Pgbench(results[0], p)), .. percentiles.Select(_ => double.NaN)]),
            ]));
        report.Add(new ResultTable("Filing: one case (OneThing: POST /api/cases → 201, then its first task to the inbox) vs the same rows (pgbench: one transaction)",
            ["", .. results.Select(r => r.Mode.Title)],
            [
                Row("OneThing throughput", results, r => $"{Throughput(r):0} cases/s"),
                Row("POST → 201 p50", results, r => Ours(r, 50)),
                Row("POST → 201 p90", results, r => Ours(r, 90)),
                Row("POST → 201 p95", results, r => Ours(r, 95)),
                Row("POST → 201 p99", results, r => Ours(r, 99)),
                Row("POST sent → first task open in inbox p50", results, r => Inbox(r, a => a.FromSendingMs, 50)),
                Row("… p90", results, r => Inbox(r, a => a.FromSendingMs, 90)),
                Row("… p95", results, r => Inbox(r, a => a.FromSendingMs, 95)),
                Row("… p99", results, r => Inbox(r, a => a.FromSendingMs, 99)),
                Row("case filedAt → task acknowledgedAt p50", results, r => Inbox(r, a => a.FromFilingMs, 50)),
                Row("after the last 201, until every task was in an inbox", results, r => Report.Ms(Median(r.Rounds, round => round.DrainMs))),
                Row("pgbench throughput (its rounds, in turn with this mode)", results, r => $"{PgbenchThroughput(r):0} tx/s"),
                Row("pgbench latency p50", results, r => Report.Ms(Pgbench(r, 50))),
                Row("pgbench latency p95", results, r => Report.Ms(Pgbench(r, 95))),
                Row("pgbench ÷ OneThing, throughput", results, r => Ratio(PgbenchThroughput(r), Throughput(r))),
                Row("OneThing ÷ pgbench, p50 latency", results, r => Ratio(Median(r.Rounds, x => Stats.Median(x.Cases.Select(c => c.LatencyMs))), Pgbench(r, 50))),
                Row("OneThing throughput by round", results, r => string.Join(", ", r.Rounds.Select(x => $"{x.Throughput:0}"))),
                Row("pgbench throughput by round", results, r => string.Join(", ", r.Rounds.Select(x => $"{x.Pgbench.TransactionsPerSecond:0}"))),
                Row("load average after the mode", results, r => r.LoadAverageAfter),
            ]));
        report.Add(new ResultTable("What one filing costs the service (the runtime's own counters, every OneThing process of the mode)",
            ["", .. results.Select(r => r.Mode.Title)],
            [
                Row("CPU per case (API + workers + adapter)", results, r => $"{Median(r.Rounds, x => x.CpuMsPerCase):0.0} ms"),
                Row("allocated per case", results, r => $"{Median(r.Rounds, x => x.AllocatedKbPerCase):N0} KB"),
                Row("CPU cores busy while filing", results, r => $"{Median(r.Rounds, x => x.Work.CpuSeconds / x.Elapsed.TotalSeconds):0.00}"),
                Row("resident memory after the rounds (all processes)", results, r => Mib(r.Memory.ResidentBytes)),
                Row("… at its peak", results, r => Mib(r.Memory.PeakResidentBytes)),
                Row("API cold start to ready, on the run's data", results, r => r.ColdStart is { } start ? Report.Ms(start.TotalMilliseconds) : "n/a"),
            ]));
        report.Add(new ResultTable("The floor under every filing", ["", "pgbench"],
            [[$"one durable commit alone ({FilingBenchmark.CommitScript}, 1 client), p50", Report.Ms(Stats.Median(commits.LatenciesMs))]]));

        report.AddNote("OneThing latency: from sending the POST to reading the whole 201 response (the case with its steps and history), " +
                       "measured by the client; the API validates the form, runs the engine, writes the rows in one transaction " +
                       "and answers from the state it wrote.");
        report.AddNote("Inbox arrival: the outbox relay sends the task (in-memory: in the API's process; RabbitMQ: in a worker, woken by " +
                       "LISTEN/NOTIFY on the API's commit), the department's inbox consumer opens it. After the timed filing the tool reads " +
                       "the cases' own timestamps (filedAt, and the task's acknowledgedAt) from the database until every task is in, so waiting " +
                       "does not change them (a service at a URL: each case polled over HTTP).");
        report.AddNote("Service cost: the differences of dotnet_process_cpu_time_seconds_total and dotnet_gc_heap_total_allocated_bytes_total " +
                       "(the runtime's System.Runtime meter, scraped from each process's /metrics) over a round, divided by its cases; it " +
                       "includes relaying and opening the cases' tasks and the simulated department system, and none of the tool's reads " +
                       "(except for a service at a URL, whose cases are polled over HTTP). Memory: VmRSS and VmHWM from /proc, summed over the mode's processes.");
        report.AddNote($"pgbench: deploy/bench/{FilingBenchmark.FilingScript}, the rows one filing writes (its upload locked with the " +
                       "case number taken from the sequence, case, 2 history rows, task, 6 timers, audit row, outbox message, the upload bound) " +
                       "in one transaction; no validation, no engine, no read-back, no HTTP, " +
                       "no delivery.");
        return report;
    }
}
