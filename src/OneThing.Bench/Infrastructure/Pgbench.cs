using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using OneThing.Hosting.Development;

namespace OneThing.Bench.Infrastructure;

public sealed record PgbenchResult(int Transactions, double TransactionsPerSecond, IReadOnlyList<double> LatenciesMs)
{
    /// <summary>How long the transactions took, without pgbench's connection set-up (our side reuses pooled connections too).</summary>
    public TimeSpan Elapsed => TimeSpan.FromSeconds(Transactions / TransactionsPerSecond);
}

/// <summary>Runs PostgreSQL's own benchmark tool on a script from deploy/bench and reads every transaction's latency from its log.</summary>
public static partial class Pgbench
{
    public static async Task<PgbenchResult> RunAsync(
        string connectionString,
        string script,
        int clients,
        int transactionsPerClient,
        IReadOnlyDictionary<string, string>? variables,
        CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var logDirectory = Directory.CreateTempSubdirectory("onething-pgbench-");
        try
        {
            string[] arguments =
            [
                "--no-vacuum", "--protocol=prepared",
                $"--client={clients}", $"--jobs={Math.Min(clients, Environment.ProcessorCount)}",
                $"--transactions={transactionsPerClient}", $"--file={script}",
                "--log", "--log-prefix=tx",
                $"--host={target.Host}", $"--port={target.Port}", $"--username={target.Username}", target.Database!,
            ];
            var environment = string.IsNullOrEmpty(target.Password)
                ? null
                : new Dictionary<string, string> { ["PGPASSWORD"] = target.Password };
            var (exitCode, output) = await ExternalCommand.RunAsync(BenchServer.PgbenchPath,
                arguments.Concat((variables ?? new Dictionary<string, string>()).Select(v => $"--define={v.Key}={v.Value}")),
                cancellationToken, logDirectory.FullName, environment);
            var tps = TpsLine().Match(output);
            if (exitCode != 0 || !tps.Success)
            {
                throw new InvalidOperationException($"pgbench failed (exit code {exitCode}) on {Path.GetFileName(script)}:\n{output}");
            }

            var latencies = ReadLatencies(logDirectory.FullName);
            if (latencies.Count != clients * transactionsPerClient)
            {
                throw new InvalidOperationException(
                    $"pgbench ran {latencies.Count} of {clients * transactionsPerClient} transactions of {Path.GetFileName(script)}:\n{output}");
            }

            return new PgbenchResult(latencies.Count, double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture), latencies);
        }
        finally
        {
            logDirectory.Delete(recursive: true);
        }
    }

    /// <summary>The scripts live in deploy/bench of the repository this tool runs from.</summary>
    public static string Script(string fileName)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "bench", fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"deploy/bench/{fileName} was not found above {AppContext.BaseDirectory}");
    }

    // One line per transaction: client, transaction number, latency in microseconds, script, epoch seconds, microseconds.
    private static List<double> ReadLatencies(string directory) =>
        Directory.EnumerateFiles(directory, "tx.*")
            .SelectMany(File.ReadLines)
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length >= 3)
            .Select(fields => double.Parse(fields[2], CultureInfo.InvariantCulture) / 1000)
            .ToList();

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
