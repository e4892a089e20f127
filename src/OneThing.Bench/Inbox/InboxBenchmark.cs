using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.DepartmentTasks;
using OneThing.Bench.Hosts;
using OneThing.Bench.Infrastructure;
using OneThing.Bench.Reporting;
using OneThing.Bench.Sweep;

namespace OneThing.Bench.Inbox;

public sealed record InboxSettings(int OpenTasks, int Repetitions, string? Connection, string? MarkdownPath, bool Keep);

/// <summary>A kind of inbox page a reviewer asks for, and the pgbench variables that read the same rows.</summary>
/// <param name="Query">The query string of GET /api/departments/{department}/tasks.</param>
public sealed record InboxPage(string Name, string Query, int Offset, string Script);

/// <summary>
/// One department with many open tasks (the sweep benchmark's loader: one real filing copied in bulk), its inbox read
/// through the API by the department's reviewer — first page, a deep page, the red ones, a case-number search — each
/// beside pgbench running the page's SQL (count and rows) on the same database.
/// </summary>
public sealed class InboxBenchmark(InboxSettings settings)
{
    public const int PageSize = 50;
    public const string Department = "household-registration";
    private const string PageScript = "inbox-page.pgbench.sql";
    private const string RedScript = "inbox-red.pgbench.sql";
    private const string Database = "onething_bench_inbox";
    private const int Warmup = 3;
    private const int DueTasks = 100;

    public sealed record PageResult(InboxPage Page, IReadOnlyList<double> HttpMs, int Total, int Items, PgbenchResult Pgbench);

    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        StandaloneRun.RunAsync(settings.Connection, settings.MarkdownPath, "inbox", MeasureAsync, cancellationToken);

    /// <summary>Loads and measures on a database of its own on <paramref name="server"/>, dropped afterwards unless kept.</summary>
    public async Task<Report> MeasureAsync(BenchServer server, CancellationToken cancellationToken)
    {
        var connectionString = await server.CreateDatabaseAsync(Database, cancellationToken);
        try
        {
            var machine = await MachineInfo.ReadAsync(connectionString, cancellationToken);
            using (var services = BenchServices.Build(connectionString))
            {
                await BenchServices.PrepareDatabaseAsync(services.Services, cancellationToken);
                Report.Progress($"Loading {settings.OpenTasks:N0} open tasks into {Department}'s inbox, {DueTasks} of them past their deadline");
                var scenario = await new OpenTaskLoader(services.Services, Report.Progress).LoadAsync(settings.OpenTasks, DueTasks, cancellationToken);
                Report.Progress($"Loaded in {scenario.LoadTime.TotalSeconds:0.0} s, vacuumed in {scenario.VacuumAndCheckpointTime.TotalSeconds:0.0} s");
            }

            return InboxReport.Build(settings, machine, await MeasurePagesAsync(connectionString, cancellationToken));
        }
        finally
        {
            if (!settings.Keep)
            {
                await server.DropDatabaseAsync(Database, CancellationToken.None);
            }
        }
    }

    private IReadOnlyList<InboxPage> Pages()
    {
        // The last page the count reaches, which the web pager lets a reviewer click; and one far beyond, which only the API can ask for.
        var lastCounted = Math.Min(settings.OpenTasks, DepartmentTaskPage.CountLimit) / PageSize;
        var far = settings.OpenTasks / PageSize / 2;
        return
        [
            new("first page, most urgent first", $"page=1&pageSize={PageSize}", 0, PageScript),
            new("next page", $"page=2&pageSize={PageSize}", PageSize, PageScript),
            new($"last counted page ({lastCounted:N0}, offset {(lastCounted - 1) * PageSize:N0})", $"page={lastCounted}&pageSize={PageSize}",
                (lastCounted - 1) * PageSize, PageScript),
            new($"far page, API only ({far:N0}, offset {(far - 1) * PageSize:N0})", $"page={far}&pageSize={PageSize}", (far - 1) * PageSize, PageScript),
            new("red only (past their deadline)", $"light=red&page=1&pageSize={PageSize}", 0, RedScript),
        ];
    }

    private async Task<IReadOnlyList<PageResult>> MeasurePagesAsync(string connectionString, CancellationToken cancellationToken)
    {
        Report.Progress("Starting the API on the loaded database");
        await using var service = await ServiceUnderTest.StartAsync(new BusMode(BusMode.InMemory, 0), connectionString, cancellationToken);
        using var http = await service.CreateClientAsync($"reviewer.{Department}", 1, cancellationToken);
        var results = new List<PageResult>();
        foreach (var page in Pages())
        {
            var uri = $"/api/departments/{Department}/tasks?{page.Query}";
            (int Total, int Items) shape = default;
            for (var warm = 0; warm < Warmup; warm++)
            {
                shape = await ReadAsync(http, uri, cancellationToken);
            }

            var timings = new List<double>();
            for (var repetition = 0; repetition < settings.Repetitions; repetition++)
            {
                var stopwatch = Stopwatch.StartNew();
                await ReadAsync(http, uri, cancellationToken);
                timings.Add(stopwatch.Elapsed.TotalMilliseconds);
            }

            var pgbench = await Pgbench.RunAsync(connectionString, Pgbench.Script(page.Script), 1, settings.Repetitions,
                new Dictionary<string, string> { ["offset"] = page.Offset.ToString(), ["limit"] = PageSize.ToString() }, cancellationToken);
            results.Add(new PageResult(page, timings, shape.Total, shape.Items, pgbench));
            Report.Progress($"{page.Name}: HTTP p50 {Report.Ms(Stats.Median(timings))}, pgbench p50 {Report.Ms(Stats.Median(pgbench.LatenciesMs))} " +
                            $"({shape.Items} of {shape.Total:N0})");
        }

        return results;
    }

    private static async Task<(int Total, int Items)> ReadAsync(HttpClient http, string uri, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(uri, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {uri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var page = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return (page.GetProperty("total").GetInt32(), page.GetProperty("items").GetArrayLength());
    }
}
