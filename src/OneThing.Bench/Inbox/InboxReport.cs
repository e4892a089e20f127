using OneThing.Bench.Infrastructure;
using OneThing.Bench.Reporting;

namespace OneThing.Bench.Inbox;

public static class InboxReport
{
    public static Report Build(InboxSettings settings, MachineInfo machine, IReadOnlyList<InboxBenchmark.PageResult> results)
    {
        var report = new Report($"A department's inbox with {settings.OpenTasks:N0} open tasks", machine,
        [
            ("open tasks", $"{settings.OpenTasks:N0} in {InboxBenchmark.Department}, one case each"),
            ("page size", InboxBenchmark.PageSize.ToString()),
            ("requests", $"{settings.Repetitions} per page (after 3 unmeasured), one reviewer, one at a time"),
            ("pgbench", "1 client, the same count and page in one transaction, -M prepared"),
            ("load average at end", MachineInfo.CurrentLoadAverage()),
        ]);
        report.Add(new ResultTable("One inbox page: GET /api/departments/{code}/tasks (rows, total, deadlines, visible fields) vs the same SQL",
            ["page", "total", "OneThing p50", "p90", "pgbench p50", "p90", "OneThing ÷ pgbench (p50)"],
            results.Select(r => (IReadOnlyList<string>)
            [
                r.Page.Name,
                r.Total.ToString("N0"),
                Report.Ms(Stats.Median(r.HttpMs)),
                Report.Ms(Stats.Percentile(r.HttpMs, 90)),
                Report.Ms(Stats.Median(r.Pgbench.LatenciesMs)),
                Report.Ms(Stats.Percentile(r.Pgbench.LatenciesMs, 90)),
                $"{Stats.Median(r.HttpMs) / Stats.Median(r.Pgbench.LatenciesMs):0.0}×",
            ]).ToList()));
        report.AddChart(new BarChart($"An inbox page with {settings.OpenTasks:N0} open tasks: HTTP vs the same SQL", "ms (p50)",
            [.. results.Select(r => r.Page.Name.Split([" (", ","], StringSplitOptions.None)[0])],
            [
                ("OneThing GET", [.. results.Select(r => Stats.Median(r.HttpMs))]),
                ("pgbench, same SQL", [.. results.Select(r => Stats.Median(r.Pgbench.LatenciesMs))]),
            ]));
        report.AddNote("OneThing: measured by the client over loopback HTTP with a bearer token, the service counting the matching tasks, " +
                       "reading the page joined to its cases, and projecting each task (deadline light, the fields the step sees).");
        report.AddNote("pgbench: deploy/bench/inbox-page.pgbench.sql and inbox-red.pgbench.sql, the count and the page (LIMIT/OFFSET over " +
                       "the inbox index's order, joined to cases) as the service asks for them.");
        return report;
    }
}
