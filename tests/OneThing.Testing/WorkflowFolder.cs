namespace OneThing.Testing;

/// <summary>A copy of the repository's workflows/ folder in a temporary folder, for tests that change a definition; deleted on dispose.</summary>
public sealed class WorkflowFolder : IDisposable
{
    public string Path { get; } = CopyOfRepositoryWorkflows();

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>A second version of the identity change: an archive step at civil affairs after household registration.</summary>
    /// <returns>The changed file.</returns>
    public async Task<string> AddArchiveStepToIdentityChangeAsync()
    {
        var file = System.IO.Path.Combine(Path, "identity-change.yaml");
        await File.AppendAllTextAsync(file, """

              - id: archive
                name: { zh: 民政档案更新, en: Civil affairs archive }
                department: civil-affairs
                kind: review
                needs: [household]
                sees: [newName]

            """);
        return file;
    }

    private static string CopyOfRepositoryWorkflows()
    {
        var source = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(System.IO.Path.Combine(source.FullName, "workflows", "departments.yaml")))
        {
            source = source.Parent ?? throw new InvalidOperationException("No workflows/ folder above the test binaries");
        }

        var from = System.IO.Path.Combine(source.FullName, "workflows");
        var to = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"onething-workflows-{Guid.NewGuid():N}");
        foreach (var path in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(to, System.IO.Path.GetRelativePath(from, path));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }

        return to;
    }
}
