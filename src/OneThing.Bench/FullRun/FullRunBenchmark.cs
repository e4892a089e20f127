using System.Text;
using OneThing.Bench.Filing;
using OneThing.Bench.Hosts;
using OneThing.Bench.Inbox;
using OneThing.Bench.Infrastructure;
using OneThing.Bench.Lifecycle;
using OneThing.Bench.Reporting;
using OneThing.Bench.Sweep;

namespace OneThing.Bench.FullRun;

/// <summary>
/// The whole benchmark in one run, so every number in docs/benchmarks.md comes from the same machine, the same cluster
/// and the same hour: the hand-written part (docs/benchmarks/about.md: how to run and read it, what each change gave,
/// the profiles) followed by each benchmark's tables and charts.
/// </summary>
public sealed class FullRunBenchmark(string outputPath, bool quick, IReadOnlyList<BusMode> modes, string? connection)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var document = Path.GetFullPath(outputPath);
        var imageFolderName = Path.GetFileNameWithoutExtension(document);
        var imageFolder = Path.Combine(Path.GetDirectoryName(document)!, imageFolderName);
        var about = Path.Combine(imageFolder, "about.md");
        Directory.CreateDirectory(imageFolder);
        var started = DateTimeOffset.UtcNow;
        var selectedModes = quick ? modes.Where(m => !m.UsesRabbitMq).DefaultIfEmpty(new BusMode(BusMode.InMemory, 0)).ToList() : modes;

        await using var server = await BenchServer.StartAsync(connection, cancellationToken);
        var parts = new List<(string Name, Func<Task<Report>> Measure)>
        {
            ("sweep", () => new SweepBenchmark(new SweepSettings(quick ? [10_000] : [10_000, 1_000_000], 100, quick ? 3 : 7, quick ? 5 : 30, connection, null, Keep: false))
                .MeasureAsync(server, cancellationToken)),
            ("filing", () => new FilingBenchmark(new FilingSettings(quick ? 100 : 400, 8, quick ? 1 : 3, quick ? 20 : 2000, selectedModes, connection, null))
                .MeasureAsync(server, cancellationToken)),
            ("lifecycle", () => new LifecycleBenchmark(new LifecycleSettings(new LifecycleShape(quick ? 40 : 300, 4, 2), 1, quick ? 10 : 200,
                selectedModes, connection, null)).MeasureAsync(server, cancellationToken)),
            ("inbox", () => new InboxBenchmark(new InboxSettings(quick ? 10_000 : 100_000, quick ? 10 : 30, connection, null, Keep: false))
                .MeasureAsync(server, cancellationToken)),
        };

        var markdown = new StringBuilder();
        markdown.AppendLine(File.Exists(about)
            ? (await File.ReadAllTextAsync(about, cancellationToken)).TrimEnd()
            : "# Benchmarks");
        markdown.AppendLine().AppendLine("## Results of the last full run").AppendLine();
        markdown.AppendLine($"Written by `dotnet run -c Release --project src/OneThing.Bench -- all{(quick ? " --quick" : "")}`, " +
                            $"started {started:yyyy-MM-dd HH:mm} UTC; each part below ran on the same private PostgreSQL cluster, one after another.");
        for (var number = 0; number < parts.Count; number++)
        {
            var (name, measure) = parts[number];
            Report.Progress($"Part {number + 1} of {parts.Count}: {name}");
            var report = await measure();
            report.Print();
            markdown.AppendLine().Append(report.ToMarkdown(imageFolder, name, $"{imageFolderName}/"));
        }

        markdown.AppendLine().AppendLine($"The whole run took {(DateTimeOffset.UtcNow - started).TotalMinutes:0} minutes.");
        await File.WriteAllTextAsync(document, markdown.ToString(), cancellationToken);
        Report.Progress($"Wrote {document} and its charts in {imageFolder}");
        return 0;
    }
}
