using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Workflows;

public sealed record RegisteredWorkflow(WorkflowDefinition Definition, int Version, string ContentHash);

/// <summary>
/// The workflows loaded from disk and every version stored before them. A case always runs on the version it
/// was filed with, so older versions stay readable after the files change.
/// </summary>
public sealed class WorkflowRegistry(DepartmentCatalogue departments, IReadOnlyList<LoadedWorkflow> loaded)
{
    private const long RegistrationLockKey = 0x4F6E65576F726B66; // "OneWorkf"

    private readonly ConcurrentDictionary<(string WorkflowId, int Version), WorkflowDefinition> _versions = new();
    private Dictionary<string, RegisteredWorkflow> _latest = new();

    public DepartmentCatalogue Departments { get; } = departments;

    public IReadOnlyCollection<RegisteredWorkflow> Latest => _latest.Values;

    public RegisteredWorkflow? FindLatest(string workflowId) => _latest.GetValueOrDefault(workflowId);

    public async Task RegisterAsync(OneThingDbContext db, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RegistrationLockKey})", cancellationToken);

        var latest = new Dictionary<string, RegisteredWorkflow>();
        foreach (var workflow in loaded)
        {
            var id = workflow.Definition.Id;
            var existing = await db.WorkflowVersions.AsNoTracking()
                .Where(v => v.WorkflowId == id && v.ContentHash == workflow.ContentHash)
                .Select(v => (int?)v.Version)
                .SingleOrDefaultAsync(cancellationToken);
            var version = existing ?? 1 + (await db.WorkflowVersions
                .Where(v => v.WorkflowId == id)
                .MaxAsync(v => (int?)v.Version, cancellationToken) ?? 0);
            if (existing is null)
            {
                db.WorkflowVersions.Add(new WorkflowVersion
                {
                    WorkflowId = id,
                    Version = version,
                    ContentHash = workflow.ContentHash,
                    SourceText = workflow.SourceText,
                    FileName = workflow.FileName,
                    RegisteredAt = clock.GetUtcNow(),
                    DepartmentsSource = Departments.Source,
                });
                logger.LogInformation("Registered workflow {WorkflowId} version {Version} from {FileName}", id, version, workflow.FileName);
            }

            _versions[(id, version)] = workflow.Definition;
            latest[id] = new RegisteredWorkflow(workflow.Definition, version, workflow.ContentHash);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _latest = latest;
    }

    public async Task<WorkflowDefinition> GetAsync(OneThingDbContext db, string workflowId, int version, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue((workflowId, version), out var cached))
        {
            return cached;
        }

        var stored = await db.WorkflowVersions.AsNoTracking()
            .SingleAsync(v => v.WorkflowId == workflowId && v.Version == version, cancellationToken);
        // The catalogue the version was validated with, not today's: a department renamed or removed since then
        // must not stop the cases still running on it.
        var departments = stored.DepartmentsSource is { } source
            ? DepartmentCatalogue.Parse(source, WorkflowLoader.DepartmentsFileName)
            : Departments;
        var definition = WorkflowLoader.Parse(stored.SourceText, stored.FileName, departments).Definition;
        return _versions.GetOrAdd((workflowId, version), definition);
    }

    public static string LocateDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "workflows");
                if (File.Exists(Path.Combine(candidate, "departments.yaml")))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            "No workflows/ folder with departments.yaml was found above the current directory; set Workflows__Directory.");
    }
}
