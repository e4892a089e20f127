using System.Diagnostics;
using System.Runtime.InteropServices;
using OneThing.Bench.Infrastructure.Processes;
using OneThing.Bench.Reporting;
using OneThing.Hosting.Development;

namespace OneThing.Bench.Hosts;

/// <summary>
/// The hosts as deploy/Dockerfile ships them: `dotnet publish -c Release` for this machine's runtime, which compiles
/// them ahead of time (ReadyToRun, Directory.Build.props), into artifacts/bench/hosts/. A built dll leaves all of that
/// to the JIT at start-up, which would be timed as the service's cold start and counted in its CPU. Published once per
/// run and project; a publish with nothing changed takes a few seconds.
/// </summary>
public static class PublishedHosts
{
    private static readonly SemaphoreSlim OnePublishAtATime = new(1, 1);
    private static readonly Dictionary<string, string> Dlls = [];

    public const string Description = "Release, published ReadyToRun as deploy/Dockerfile does";

    public static async Task<string> DllAsync(string project, CancellationToken cancellationToken)
    {
        await OnePublishAtATime.WaitAsync(cancellationToken);
        try
        {
            if (!Dlls.TryGetValue(project, out var dll))
            {
                dll = await PublishAsync(project, cancellationToken);
                Dlls[project] = dll;
            }

            return dll;
        }
        finally
        {
            OnePublishAtATime.Release();
        }
    }

    private static async Task<string> PublishAsync(string project, CancellationToken cancellationToken)
    {
        // Under the repository, so that the hosts find workflows/ above their folder as they do from bin/.
        var output = Path.Combine(BuiltProjects.RepositoryRoot, "artifacts", "bench", "hosts", project);
        Report.Progress($"Publishing {project} ({Description}) to {Path.GetRelativePath(BuiltProjects.RepositoryRoot, output)}");
        var started = Stopwatch.StartNew();
        string[] arguments =
        [
            "publish", Path.Combine("src", project, $"{project}.csproj"), "-c", "Release",
            "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:UseAppHost=false", "-o", output,
        ];
        var (exitCode, log) = await ExternalCommand.RunAsync(BuiltProjects.DotnetHost, arguments, cancellationToken, BuiltProjects.RepositoryRoot);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed with exit code {exitCode}:\n{log}");
        }

        var dll = Path.Combine(output, $"{project}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"dotnet publish of {project} succeeded but left no {dll}", dll);
        }

        Report.Progress($"Published {project} in {started.Elapsed.TotalSeconds:0} s");
        return dll;
    }
}
