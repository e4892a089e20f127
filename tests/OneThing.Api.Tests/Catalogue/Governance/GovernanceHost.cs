using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue.Governance;

/// <summary>
/// A catalogue host whose workflows folder holds the shipped workflows and this folder's test-only ones, which use
/// the governance language (loops, verification, triage) before the shipped catalogue does.
/// </summary>
internal sealed class GovernanceHost : IAsyncDisposable
{
    private readonly string _workflows;

    private GovernanceHost(string workflows, OneThingHost host, TestClock clock)
    {
        _workflows = workflows;
        Host = host;
        Api = new ApiClient(host);
        Clock = clock;
    }

    public OneThingHost Host { get; }

    public ApiClient Api { get; }

    public TestClock Clock { get; }

    public static async Task<GovernanceHost> StartAsync(PostgresServer postgres)
    {
        var workflows = Directory.CreateTempSubdirectory("onething-governance-").FullName;
        var shipped = Path.Combine(RepositoryRoot(), "workflows");
        foreach (var file in Directory.EnumerateFiles(shipped, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(workflows, Path.GetRelativePath(shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Catalogue", "Governance"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(workflows, Path.GetFileName(file)));
        }

        var clock = new TestClock(CatalogueHost.WorkingMorning);
        var host = new OneThingHost(await postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?> { ["Deadlines:SweepInterval"] = "01:00:00", ["Workflows:Directory"] = workflows }, clock);
        return new GovernanceHost(workflows, host, clock);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_workflows, recursive: true);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "workflows", "departments.yaml")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No workflows/ folder above the test binaries");
    }
}
