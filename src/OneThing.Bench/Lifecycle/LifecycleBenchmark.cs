using OneThing.Bench.Filing;
using OneThing.Bench.Hosts;
using OneThing.Bench.Infrastructure;
using OneThing.Bench.Reporting;

namespace OneThing.Bench.Lifecycle;

public sealed record LifecycleSettings(
    LifecycleShape Shape, int Rounds, int Warmup, IReadOnlyList<BusMode> Modes, string? Connection, string? MarkdownPath)
{
    /// <summary>Reviewers deciding at once, all departments together: pgbench runs with as many clients.</summary>
    public int Deciders => LifecycleLoad.ReviewingDepartments.Count * Shape.ApproversPerDepartment;

    public int DecisionsPerClient => (Shape.Cases + Deciders - 1) / Deciders;
}

public sealed record LifecycleRound(LifecycleRun Run, PgbenchResult Pgbench);

/// <param name="Integrity">What the mode left in the service's database; null for a service at a URL.</param>
public sealed record LifecycleModeResult(BusMode Mode, string Service, IReadOnlyList<LifecycleRound> Rounds, string LoadAverageAfter,
    CaseIntegrity? Integrity);

/// <summary>
/// Identity-change cases taken from filing to completed by clerks and reviewers over HTTP, in each bus mode on a
/// database of its own; beside it, pgbench writing the rows of the decision that fans a case out, after each round.
/// </summary>
public sealed class LifecycleBenchmark(LifecycleSettings settings)
{
    public const string DecisionScript = "decision.pgbench.sql";

    private const string PgbenchDatabase = "onething_bench_lifecycle_pgbench";

    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        StandaloneRun.RunAsync(settings.Connection, settings.MarkdownPath, "lifecycle", MeasureAsync, cancellationToken);

    /// <summary>Measures every mode on databases of its own on <paramref name="server"/>, and drops them afterwards.</summary>
    public async Task<Report> MeasureAsync(BenchServer server, CancellationToken cancellationToken)
    {
        try
        {
            return await MeasureModesAsync(server, cancellationToken);
        }
        finally
        {
            await server.DropDatabaseAsync(PgbenchDatabase, CancellationToken.None);
            foreach (var mode in settings.Modes)
            {
                await server.DropDatabaseAsync(ServiceDatabase(mode), CancellationToken.None);
            }
        }
    }

    private static string ServiceDatabase(BusMode mode) => $"onething_bench_lifecycle_{mode.Key}";

    private async Task<Report> MeasureModesAsync(BenchServer server, CancellationToken cancellationToken)
    {
        var pgbenchDatabase = await server.CreateDatabaseAsync(PgbenchDatabase, cancellationToken);
        using (var services = BenchServices.Build(pgbenchDatabase))
        {
            await BenchServices.PrepareDatabaseAsync(services.Services, cancellationToken);
        }

        var machine = await MachineInfo.ReadAsync(pgbenchDatabase, cancellationToken);
        var results = new List<LifecycleModeResult>();
        foreach (var mode in settings.Modes)
        {
            var database = mode.Url is null ? await server.CreateDatabaseAsync(ServiceDatabase(mode), cancellationToken) : "";
            Report.Progress($"{mode.Title}: starting");
            await using (var service = await ServiceUnderTest.StartAsync(mode, database, cancellationToken))
            {
                results.Add(await MeasureModeAsync(service, database, pgbenchDatabase, cancellationToken));
            }

            if (mode.Url is null)
            {
                await server.DropDatabaseAsync(ServiceDatabase(mode), cancellationToken);
            }
        }

        return LifecycleReport.Build(settings, machine, results);
    }

    /// <param name="serviceDatabase">The service's database, or empty for a service at a URL.</param>
    private async Task<LifecycleModeResult> MeasureModeAsync(ServiceUnderTest service, string serviceDatabase, string pgbenchDatabase,
        CancellationToken cancellationToken)
    {
        var shape = settings.Shape;
        using var clerk = await service.CreateClientAsync("clerk", shape.Clerks, cancellationToken);
        var reviewers = new Dictionary<string, HttpClient>();
        try
        {
            foreach (var department in LifecycleLoad.ReviewingDepartments)
            {
                reviewers[department] = await service.CreateClientAsync($"reviewer.{department}", shape.ApproversPerDepartment + 1, cancellationToken);
            }

            var clients = new LifecycleClients(clerk, reviewers);
            var seed = Random.Shared.Next(1_000_000);
            var title = service.Mode.Title;
            Report.Progress($"{title}: warming up, {settings.Warmup} cases from filing to completed, and pgbench");
            await LifecycleLoad.RunAsync(clients, shape with { Cases = settings.Warmup }, seed, cancellationToken);
            seed += settings.Warmup;
            await RunPgbenchAsync(pgbenchDatabase, Math.Max(1, settings.Warmup / settings.Deciders), cancellationToken);
            await PlannerStatistics.RefreshAsync(cancellationToken, serviceDatabase, pgbenchDatabase);

            var rounds = new List<LifecycleRound>();
            for (var number = 1; number <= settings.Rounds; number++)
            {
                var run = await LifecycleLoad.RunAsync(clients, shape, seed, cancellationToken);
                seed += shape.Cases;
                service.EnsureProcessesRunning();
                var pgbench = await RunPgbenchAsync(pgbenchDatabase, settings.DecisionsPerClient, cancellationToken);
                rounds.Add(new LifecycleRound(run, pgbench));
                Report.Progress($"{title}, round {number}/{settings.Rounds}: OneThing {run.CasesPerSecond:0.0} cases/s, " +
                                $"{run.DecisionsPerSecond:0} decisions/s, filing → completed p50 {Report.Ms(Stats.Median(run.Completed.Select(c => c.FromSendingMs)))}; " +
                                $"pgbench decision {pgbench.TransactionsPerSecond:0} tx/s, p50 {Report.Ms(Stats.Median(pgbench.LatenciesMs))}");
            }

            var integrity = await CaseIntegrity.ReadAsync(serviceDatabase, cancellationToken);
            if (integrity is { Holds: false })
            {
                Report.Progress($"{title}: NOT AS IT SHOULD BE: {integrity}");
            }

            return new LifecycleModeResult(service.Mode, service.Description, rounds, MachineInfo.CurrentLoadAverage(), integrity);
        }
        finally
        {
            foreach (var client in reviewers.Values)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// Files, unmeasured, a household task for every decision to come and one spare per client (so no client finds
    /// the pool empty at the end), then times the decisions.
    /// </summary>
    private async Task<PgbenchResult> RunPgbenchAsync(string database, int decisionsPerClient, CancellationToken cancellationToken)
    {
        await FilingBenchmark.AddUnusedUploadsAsync(database, settings.Deciders * (decisionsPerClient + 1), cancellationToken);
        await Pgbench.RunAsync(database, Pgbench.Script(FilingBenchmark.FilingScript), settings.Deciders, decisionsPerClient + 1, null,
            cancellationToken);
        return await Pgbench.RunAsync(database, Pgbench.Script(DecisionScript), settings.Deciders, decisionsPerClient, null, cancellationToken);
    }
}
