namespace OneThing.Api.Tests.Catalogue.Governance;

/// <summary>
/// A catalogue host, shared by the tests of a class, whose workflows folder holds the shipped workflows and this
/// folder's test-only ones, which use the governance language (loops, verification, triage) before the shipped catalogue does.
/// </summary>
public sealed class GovernanceHost : ClockedSharedHost
{
    private readonly string _workflows;

    public GovernanceHost(PostgresServer postgres)
        : this(postgres, WorkflowsFolder())
    {
    }

    private GovernanceHost(PostgresServer postgres, string workflows)
        : base(postgres, CatalogueHost.WorkingMorning, new Dictionary<string, string?>(CatalogueHost.SweepByHand) { ["Workflows:Directory"] = workflows })
    {
        _workflows = workflows;
    }

    private static string WorkflowsFolder()
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

        return workflows;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
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
