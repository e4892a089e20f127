namespace OneThing.Bench.Infrastructure.Processes;

/// <summary>
/// Where the build put the hosts' dlls. The benchmark tool and the test project reference them without using their
/// assemblies, so building either builds the hosts first, with the same configuration as the running assembly.
/// </summary>
public static class BuiltProjects
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    /// <summary>Taken from this assembly's own output folder, bin/&lt;Configuration&gt;/&lt;TargetFramework&gt;/.</summary>
    public static string Configuration => OutputFolder.Parent?.Name ?? "Debug";

    public static string TargetFramework => OutputFolder.Name;

    /// <summary>The dotnet that runs this process (the tests, the benchmark), so a child host gets the same runtime.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static string Dll(string project)
    {
        var dll = Path.Combine(RepositoryRoot, "src", project, "bin", Configuration, TargetFramework, $"{project}.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException(
                $"{dll} has not been built. Build the solution (dotnet build OneThing.sln -c {Configuration}) or the project first.", dll);
    }

    private static DirectoryInfo OutputFolder => new(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OneThing.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder with OneThing.sln above {AppContext.BaseDirectory}");
    }
}
