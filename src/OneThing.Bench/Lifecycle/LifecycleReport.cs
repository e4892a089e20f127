using OneThing.Bench.Infrastructure;
using OneThing.Bench.Reporting;
using static OneThing.Bench.Reporting.SideBySide;

namespace OneThing.Bench.Lifecycle;

/// <summary>The lifecycle benchmark's tables: one column per bus mode, each beside the pgbench rounds that took turns with it.</summary>
public static class LifecycleReport
{
    private const string Household = "household-registration";

    public static Report Build(LifecycleSettings settings, MachineInfo machine, IReadOnlyList<LifecycleModeResult> results)
    {
        var shape = settings.Shape;
        var report = new Report($"Identity-change cases from filing to completed, {shape.Cases} per round", machine,
        [
            ("cases per round", $"{shape.Cases:N0} (hasSchoolAgeChild and ownsProperty false: household registration, then social security, " +
                                "medical insurance and the housing fund's system)"),
            ("clerks", $"{shape.Clerks} filing at once (closed loop)"),
            ("reviewers", $"{string.Join(", ", LifecycleLoad.ReviewingDepartments)}: each polls its inbox and approves " +
                          $"{shape.ApproversPerDepartment} at a time"),
            ("rounds", $"{settings.Rounds} per mode (medians), after {settings.Warmup} warm-up cases and an ANALYZE of both databases"),
            ("modes", string.Join("; ", results.Select(r => r.Mode.Title)) + " (one after another, each on a new database)"),
            .. results.Select(r => (r.Mode.Title, r.Service)),
            ("pgbench", $"deploy/bench/{LifecycleBenchmark.DecisionScript}, {settings.Deciders} clients × {settings.DecisionsPerClient}, " +
                        $"-M prepared, -j {Math.Min(settings.Deciders, Environment.ProcessorCount)}"),
            ("load average at end", MachineInfo.CurrentLoadAverage()),
        ]);

        double Completion(LifecycleModeResult result, double percentile) =>
            Median(result.Rounds, r => Stats.Percentile(r.Run.Completed.Select(c => c.FromSendingMs), percentile));
        double Approval(LifecycleModeResult result, bool household, double percentile) =>
            Median(result.Rounds, r => Stats.Percentile(
                r.Run.Decisions.Where(d => (d.Department == Household) == household).Select(d => d.LatencyMs), percentile));
        double Filing(LifecycleModeResult result, double percentile) =>
            Median(result.Rounds, r => Stats.Percentile(r.Run.Filed.Select(c => c.LatencyMs), percentile));
        double Pgbench(LifecycleModeResult result, double percentile) =>
            Median(result.Rounds, r => Stats.Percentile(r.Pgbench.LatenciesMs, percentile));
        double Decisions(LifecycleModeResult result) => Median(result.Rounds, r => r.Run.DecisionsPerSecond);
        double PgbenchThroughput(LifecycleModeResult result) => Median(result.Rounds, r => r.Pgbench.TransactionsPerSecond);

        report.AddChart(new BarChart("Decisions a second: reviewers over HTTP vs pgbench writing a decision's rows", "per second",
            [.. results.Select(r => r.Mode.Title)],
            [
                ("OneThing reviewer decisions", [.. results.Select(Decisions)]),
                ("pgbench decision transactions", [.. results.Select(PgbenchThroughput)]),
            ]));
        report.Add(new ResultTable("From filing to completed (OneThing over HTTP) vs the rows of the fan-out decision (pgbench: one transaction)",
            ["", .. results.Select(r => r.Mode.Title)],
            [
                Row("cases completed a second (first filing sent → last case ended)", results,
                    r => $"{Median(r.Rounds, x => x.Run.CasesPerSecond):0.0} cases/s"),
                Row("filing sent → case completed p50", results, r => Report.Ms(Completion(r, 50))),
                Row("filing sent → case completed p95", results, r => Report.Ms(Completion(r, 95))),
                Row("reviewer decisions a second (first approval sent → last answered)", results, r => $"{Decisions(r):0} /s"),
                Row("approve household (fans out 3 tasks) p50 / p95", results,
                    r => $"{Report.Ms(Approval(r, true, 50))} / {Report.Ms(Approval(r, true, 95))}"),
                Row("approve social security, medical insurance p50 / p95", results,
                    r => $"{Report.Ms(Approval(r, false, 50))} / {Report.Ms(Approval(r, false, 95))}"),
                Row("POST /api/cases p50 / p95", results, r => $"{Report.Ms(Filing(r, 50))} / {Report.Ms(Filing(r, 95))}"),
                Row("pgbench decision throughput (its rounds, in turn with this mode)", results, r => $"{PgbenchThroughput(r):0} tx/s"),
                Row("pgbench decision latency p50 / p95", results, r => $"{Report.Ms(Pgbench(r, 50))} / {Report.Ms(Pgbench(r, 95))}"),
                Row("pgbench decisions ÷ OneThing reviewer decisions, a second", results, r => Ratio(PgbenchThroughput(r), Decisions(r))),
                Row("OneThing household approval ÷ pgbench, p50 latency", results, r => Ratio(Approval(r, true, 50), Pgbench(r, 50))),
                Row("cases a second by round", results, r => string.Join(", ", r.Rounds.Select(x => $"{x.Run.CasesPerSecond:0.0}"))),
                Row("load average after the mode", results, r => r.LoadAverageAfter),
                Row("after the mode, in the service's database", results, r => r.Integrity?.ToString() ?? "not read (a service at a URL)"),
            ]));

        report.AddNote("OneThing: clerks file the cases (POST /api/cases) while the reviewer of each department polls its inbox " +
                       "(GET /api/departments/{code}/tasks?status=open&pageSize=200) and approves what has arrived (POST /api/tasks/{id}/approve); " +
                       "the housing fund's system answers over the bus (in-memory: simulated in the API's process; RabbitMQ: the department " +
                       "adapter). A case is completed when all four have approved; its endedAt (the service's clock) is read afterwards.");
        report.AddNote("Decisions and approvals are timed by the clients, from sending the POST to reading the answer. The reviewers decide " +
                       "as tasks arrive, so their rate follows the filings and the relay; it is not the most the API could decide.");
        report.AddNote($"pgbench: deploy/bench/{LifecycleBenchmark.DecisionScript}, the rows the household approval writes (lock the case, " +
                       "cancel the task's timers, audit row, 6 history rows, case state, task update, 3 new tasks, 3 outbox messages, 12 " +
                       "timers) in one transaction, on household tasks that filing.pgbench.sql filed unmeasured just before; the other " +
                       "decisions write fewer rows. No HTTP, no engine, no relay, no delivery.");
        return report;
    }
}
