using OneThing.Bench.Infrastructure;
using OneThing.Bench.Reporting;

namespace OneThing.Bench.Filing;

public sealed record FilingSettings(int Cases, int Concurrency, int Rounds, int Warmup, Uri? Url, string? Connection, string? MarkdownPath);

/// <summary>
/// Clerks filing identity-change cases through the API, and the time until each case's first task is in the
/// department's inbox; beside it, pgbench writing the same rows in one transaction per case at the same concurrency.
/// </summary>
public sealed class FilingBenchmark(FilingSettings settings)
{
    private const string FilingScript = "filing.pgbench.sql";
    private const string CommitScript = "commit.pgbench.sql";

    private sealed record Round(
        IReadOnlyList<FiledCase> Cases,
        TimeSpan Elapsed,
        IReadOnlyList<InboxArrival> Arrivals,
        PgbenchResult Pgbench)
    {
        public double Throughput => Cases.Count / Elapsed.TotalSeconds;

        /// <summary>From the last answer to the filing requests until the last of their tasks was in an inbox (0 if it was there first).</summary>
        public double DrainMs => Math.Max(0,
            (Arrivals.Max(a => a.AcknowledgedAt) - Cases.Max(c => c.SentAt.AddMilliseconds(c.LatencyMs))).TotalMilliseconds);
    }

    private const string ApiDatabase = "onething_bench_filing_api";
    private const string PgbenchDatabase = "onething_bench_filing_pgbench";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var server = await BenchServer.StartAsync(settings.Connection, cancellationToken);
        try
        {
            var report = await MeasureAsync(server, cancellationToken);
            report.Print();
            if (settings.MarkdownPath is { } path)
            {
                await File.WriteAllTextAsync(path, report.ToMarkdown(), cancellationToken);
                Report.Progress($"Wrote {path}");
            }
        }
        finally
        {
            await server.DropDatabaseAsync(ApiDatabase, CancellationToken.None);
            await server.DropDatabaseAsync(PgbenchDatabase, CancellationToken.None);
        }

        return 0;
    }

    private async Task<Report> MeasureAsync(BenchServer server, CancellationToken cancellationToken)
    {
        var pgbenchDatabase = await server.CreateDatabaseAsync(PgbenchDatabase, cancellationToken);
        using (var services = BenchServices.Build(pgbenchDatabase))
        {
            await BenchServices.PrepareDatabaseAsync(services.Services, cancellationToken);
        }

        var machine = await MachineInfo.ReadAsync(pgbenchDatabase, cancellationToken);
        await using var api = settings.Url is { } url
            ? ApiUnderTest.Remote(url)
            : ApiUnderTest.StartInProcess(await server.CreateDatabaseAsync(ApiDatabase, cancellationToken));
        using var http = await api.CreateClerkClientAsync(settings.Concurrency, cancellationToken);
        var perClient = (settings.Cases + settings.Concurrency - 1) / settings.Concurrency;
        var seed = Random.Shared.Next(1_000_000);

        Report.Progress($"Warming up: {settings.Warmup} cases through {api.BaseAddress}, and pgbench");
        var (warmup, _) = await FilingLoad.FileAsync(http, settings.Warmup, settings.Concurrency, seed, cancellationToken);
        await FilingLoad.WaitForInboxAsync(http, warmup, cancellationToken);
        seed += settings.Warmup;
        await Pgbench.RunAsync(pgbenchDatabase, Pgbench.Script(FilingScript), settings.Concurrency,
            Math.Max(1, settings.Warmup / settings.Concurrency), null, cancellationToken);

        var rounds = new List<Round>();
        // The API and pgbench take turns, so a burst of load from elsewhere on the machine does not land on one side only.
        for (var number = 1; number <= settings.Rounds; number++)
        {
            var (cases, elapsed) = await FilingLoad.FileAsync(http, settings.Cases, settings.Concurrency, seed, cancellationToken);
            seed += settings.Cases;
            var arrivals = await FilingLoad.WaitForInboxAsync(http, cases, cancellationToken);
            var pgbench = await Pgbench.RunAsync(pgbenchDatabase, Pgbench.Script(FilingScript), settings.Concurrency, perClient, null,
                cancellationToken);
            rounds.Add(new Round(cases, elapsed, arrivals, pgbench));
            Report.Progress($"Round {number}/{settings.Rounds}: OneThing {rounds[^1].Throughput:0} cases/s, " +
                            $"p50 {Report.Ms(Stats.Median(cases.Select(c => c.LatencyMs)))}; " +
                            $"pgbench {pgbench.TransactionsPerSecond:0} tx/s, p50 {Report.Ms(Stats.Median(pgbench.LatenciesMs))}");
        }

        var commits = await Pgbench.RunAsync(pgbenchDatabase, Pgbench.Script(CommitScript), 1, 200, null, cancellationToken);
        return BuildReport(machine, api, rounds, perClient, commits);
    }

    private Report BuildReport(MachineInfo machine, ApiUnderTest api, IReadOnlyList<Round> rounds, int perClient, PgbenchResult commits)
    {
        var report = new Report($"Filing identity-change cases, {settings.Concurrency} at a time", machine,
        [
            ("cases per round", $"{settings.Cases:N0} over HTTP; pgbench {settings.Concurrency} × {perClient} transactions"),
            ("concurrency", $"{settings.Concurrency} clients (closed loop)"),
            ("rounds", $"{settings.Rounds} (medians), after {settings.Warmup} warm-up cases"),
            ("API", api.InProcess ? "the real host in this process, Kestrel on loopback TCP, logs at Warning" : api.BaseAddress.ToString()),
            ("pgbench", $"deploy/bench/{FilingScript}, -M prepared, -j {Math.Min(settings.Concurrency, Environment.ProcessorCount)}"),
            ("load average at end", MachineInfo.CurrentLoadAverage()),
        ]);

        double Median(Func<Round, double> metric) => Stats.Median(rounds.Select(metric));
        double Ours(double percentile) => Median(r => Stats.Percentile(r.Cases.Select(c => c.LatencyMs), percentile));
        double Theirs(double percentile) => Median(r => Stats.Percentile(r.Pgbench.LatenciesMs, percentile));
        string[] Latency(double percentile) =>
            [$"latency p{percentile}", Report.Ms(Ours(percentile)), Report.Ms(Theirs(percentile)), $"{Ours(percentile) / Theirs(percentile):0.0}×"];
        var ourThroughput = Median(r => r.Throughput);
        var theirThroughput = Median(r => r.Pgbench.TransactionsPerSecond);

        report.Add(new ResultTable("Filing: one case (OneThing: POST /api/cases → 201) vs the same rows (pgbench: one transaction)",
            ["", "OneThing over HTTP", "pgbench", "OneThing ÷ pgbench"],
            [
                ["throughput", $"{ourThroughput:0} cases/s", $"{theirThroughput:0} tx/s", $"{theirThroughput / ourThroughput:0.0}× fewer"],
                Latency(50),
                Latency(95),
                Latency(99),
                ["throughput by round", string.Join(", ", rounds.Select(r => $"{r.Throughput:0}")),
                    string.Join(", ", rounds.Select(r => $"{r.Pgbench.TransactionsPerSecond:0}")), ""],
                [$"one durable commit alone ({CommitScript}, 1 client)", "", Report.Ms(Stats.Median(commits.LatenciesMs)), ""],
            ]));

        string Arrival(Func<InboxArrival, double> metric, double percentile) =>
            Report.Ms(Median(r => Stats.Percentile(r.Arrivals.Select(metric), percentile)));
        report.Add(new ResultTable("From filing to the department's inbox (OneThing: outbox relay → MassTransit → inbox consumer)",
            ["", "p50", "p95", "p99"],
            [
                ["client sends POST → task open in inbox", Arrival(a => a.FromSendingMs, 50), Arrival(a => a.FromSendingMs, 95), Arrival(a => a.FromSendingMs, 99)],
                ["case filedAt → task acknowledgedAt", Arrival(a => a.FromFilingMs, 50), Arrival(a => a.FromFilingMs, 95), Arrival(a => a.FromFilingMs, 99)],
                ["after the last 201, until every task was in an inbox", Report.Ms(Median(r => r.DrainMs)), "", ""],
            ]));
        report.AddNote("OneThing latency: from sending the POST to reading the whole 201 response (the case with its steps and history), " +
                       "measured by the client; the API validates the form, runs the engine, writes the rows in one transaction, " +
                       "then reads the case back for the response.");
        report.AddNote($"pgbench: deploy/bench/{FilingScript}, the rows one filing writes (case-number counter, case, 2 history rows, " +
                       "task, 6 timers, outbox message) in one transaction; no validation, no engine, no read-back, no HTTP.");
        report.AddNote("Inbox arrival: each case is polled after the timed filing, and the time is read from the case's own timestamps " +
                       "(the task's acknowledgedAt), so polling does not change what is measured.");
        return report;
    }
}
