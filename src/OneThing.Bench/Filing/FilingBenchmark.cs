using Npgsql;
using OneThing.Bench.Hosts;
using OneThing.Bench.Infrastructure;
using OneThing.Bench.Infrastructure.Processes;
using OneThing.Bench.Reporting;

namespace OneThing.Bench.Filing;

public sealed record FilingSettings(
    int Cases, int Concurrency, int Rounds, int Warmup, IReadOnlyList<BusMode> Modes, string? Connection, string? MarkdownPath);

/// <summary>One round of one mode: our filings and their inbox arrivals, then pgbench writing the same rows.</summary>
/// <param name="Work">What the service's processes spent on the round's filings, their tasks' delivery included.</param>
public sealed record FilingRound(IReadOnlyList<FiledCase> Cases, TimeSpan Elapsed, IReadOnlyList<InboxArrival> Arrivals, PgbenchResult Pgbench,
    ServiceWork Work)
{
    public double Throughput => Cases.Count / Elapsed.TotalSeconds;

    public double CpuMsPerCase => Work.CpuSeconds * 1000 / Cases.Count;

    public double AllocatedKbPerCase => Work.AllocatedBytes / 1024 / Cases.Count;

    /// <summary>From the last answer to the filing requests until the last of their tasks was in an inbox (0 if it was there first).</summary>
    public double DrainMs => Math.Max(0,
        (Arrivals.Max(a => a.AcknowledgedAt) - Cases.Max(c => c.SentAt.AddMilliseconds(c.LatencyMs))).TotalMilliseconds);
}

/// <param name="Memory">The service's processes after the last round: resident memory now and at its peak.</param>
/// <param name="ColdStart">From starting the API again on the run's data to its first ready answer; null for a service at a URL.</param>
public sealed record FilingModeResult(BusMode Mode, string Service, IReadOnlyList<FilingRound> Rounds, string LoadAverageAfter,
    ServiceWork Memory, TimeSpan? ColdStart);

/// <summary>
/// Clerks filing identity-change cases through the API, and the time until each case's first task is in the
/// department's inbox; beside it, pgbench writing the same rows in one transaction per case at the same concurrency.
/// Each bus mode runs on a database of its own, one after another, its rounds taking turns with pgbench.
/// </summary>
public sealed class FilingBenchmark(FilingSettings settings)
{
    public const string FilingScript = "filing.pgbench.sql";
    public const string CommitScript = "commit.pgbench.sql";

    private const string PgbenchDatabase = "onething_bench_filing_pgbench";

    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        StandaloneRun.RunAsync(settings.Connection, settings.MarkdownPath, "filing", MeasureAsync, cancellationToken);

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

    /// <summary>
    /// The photographed application forms pgbench's filings bind, one per transaction to come: as for the service, the
    /// uploads happen before the timed part.
    /// </summary>
    public static async Task AddUnusedUploadsAsync(string pgbenchDatabase, int count, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(pgbenchDatabase);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "INSERT INTO attachments (id, file_name, content_type, size, sha256, uploaded_by, uploaded_at) " +
            "SELECT gen_random_uuid(), $1, 'image/jpeg', $2, encode(sha256(convert_to(n::text, 'UTF8')), 'hex'), 'clerk', now() FROM generate_series(1, $3) n",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = IdentityForms.ApplicationFormPhotoName });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)IdentityForms.ApplicationFormPhoto().Length });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string ServiceDatabase(BusMode mode) => $"onething_bench_filing_{mode.Key}";

    private async Task<Report> MeasureModesAsync(BenchServer server, CancellationToken cancellationToken)
    {
        var pgbenchDatabase = await server.CreateDatabaseAsync(PgbenchDatabase, cancellationToken);
        using (var services = BenchServices.Build(pgbenchDatabase))
        {
            await BenchServices.PrepareDatabaseAsync(services.Services, cancellationToken);
        }

        var machine = await MachineInfo.ReadAsync(pgbenchDatabase, cancellationToken);
        var perClient = (settings.Cases + settings.Concurrency - 1) / settings.Concurrency;
        var results = new List<FilingModeResult>();
        foreach (var mode in settings.Modes)
        {
            var database = mode.Url is null ? await server.CreateDatabaseAsync(ServiceDatabase(mode), cancellationToken) : "";
            Report.Progress($"{mode.Title}: starting");
            await using (var service = await ServiceUnderTest.StartAsync(mode, database, cancellationToken))
            {
                results.Add(await MeasureModeAsync(service, database, pgbenchDatabase, perClient, cancellationToken));
            }

            if (mode.Url is null)
            {
                await server.DropDatabaseAsync(ServiceDatabase(mode), cancellationToken);
            }
        }

        var commits = await Pgbench.RunAsync(pgbenchDatabase, Pgbench.Script(CommitScript), 1, 200, null, cancellationToken);
        return FilingReport.Build(settings, machine, results, perClient, commits);
    }

    /// <param name="serviceDatabase">The service's database, or empty for a service at a URL.</param>
    private async Task<FilingModeResult> MeasureModeAsync(ServiceUnderTest service, string serviceDatabase, string pgbenchDatabase, int perClient,
        CancellationToken cancellationToken)
    {
        using var http = await service.CreateClientAsync("clerk", settings.Concurrency, cancellationToken);
        var seed = Random.Shared.Next(1_000_000);
        var title = service.Mode.Title;

        Report.Progress($"{title}: warming up, {settings.Warmup} cases through {service.BaseAddress}, and pgbench");
        var warmupForms = await FilingLoad.UploadApplicationFormsAsync(http, settings.Warmup, settings.Concurrency, cancellationToken);
        var (warmup, _) = await FilingLoad.FileAsync(http, warmupForms, settings.Concurrency, seed, cancellationToken);
        await FilingLoad.WaitForInboxAsync(serviceDatabase, http, warmup, cancellationToken);
        seed += settings.Warmup;
        var warmupPerClient = Math.Max(1, settings.Warmup / settings.Concurrency);
        await AddUnusedUploadsAsync(pgbenchDatabase, settings.Concurrency * warmupPerClient, cancellationToken);
        await Pgbench.RunAsync(pgbenchDatabase, Pgbench.Script(FilingScript), settings.Concurrency, warmupPerClient, null, cancellationToken);
        await PlannerStatistics.RefreshAsync(cancellationToken, serviceDatabase, pgbenchDatabase);

        var rounds = new List<FilingRound>();
        // Ours and pgbench take turns, so a burst of load from elsewhere on the machine does not land on one side only.
        for (var number = 1; number <= settings.Rounds; number++)
        {
            // The photographed forms are uploaded before the work is read and the clock starts: the filing alone is measured.
            var applicationForms = await FilingLoad.UploadApplicationFormsAsync(http, settings.Cases, settings.Concurrency, cancellationToken);
            var before = await service.ReadWorkAsync(cancellationToken);
            var (cases, elapsed) = await FilingLoad.FileAsync(http, applicationForms, settings.Concurrency, seed, cancellationToken);
            seed += settings.Cases;
            var arrivals = await FilingLoad.WaitForInboxAsync(serviceDatabase, http, cases, cancellationToken);
            var work = (await service.ReadWorkAsync(cancellationToken)).Since(before);
            service.EnsureProcessesRunning();
            await AddUnusedUploadsAsync(pgbenchDatabase, settings.Concurrency * perClient, cancellationToken);
            var pgbench = await Pgbench.RunAsync(pgbenchDatabase, Pgbench.Script(FilingScript), settings.Concurrency, perClient, null,
                cancellationToken);
            rounds.Add(new FilingRound(cases, elapsed, arrivals, pgbench, work));
            Report.Progress($"{title}, round {number}/{settings.Rounds}: OneThing {rounds[^1].Throughput:0} cases/s, " +
                            $"p50 {Report.Ms(Stats.Median(cases.Select(c => c.LatencyMs)))}, " +
                            $"inbox p50 {Report.Ms(Stats.Median(arrivals.Select(a => a.FromSendingMs)))}; " +
                            $"pgbench {pgbench.TransactionsPerSecond:0} tx/s, p50 {Report.Ms(Stats.Median(pgbench.LatenciesMs))}; " +
                            $"service {rounds[^1].CpuMsPerCase:0.0} ms CPU, {rounds[^1].AllocatedKbPerCase:0} KB allocated per case");
        }

        var memory = await service.ReadWorkAsync(cancellationToken);
        var loadAverage = MachineInfo.CurrentLoadAverage();
        Report.Progress($"{title}: restarting the API on the run's data to time its cold start");
        var coldStart = await service.TimeColdStartAsync(cancellationToken);
        return new FilingModeResult(service.Mode, service.Description, rounds, loadAverage, memory, coldStart);
    }
}
