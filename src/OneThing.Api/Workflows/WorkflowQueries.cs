using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Workflows;

/// <summary>Reads a workflow's stored versions for GET /api/workflows/{id}/versions and the workflow versions page alike.</summary>
internal static class WorkflowQueries
{
    /// <summary>Oldest first, with how many cases were filed on each; empty when there is no such workflow.</summary>
    public static async Task<List<WorkflowVersionResponse>> VersionsAsync(OneThingDbContext db, WorkflowRegistry registry, string id,
        CancellationToken cancellationToken)
    {
        var versions = await db.WorkflowVersions.AsNoTracking()
            .Where(v => v.WorkflowId == id)
            .OrderBy(v => v.Version)
            .Select(v => new { v.Version, v.ContentHash, v.FileName, v.RegisteredAt, Cases = db.Cases.Count(c => c.WorkflowId == id && c.WorkflowVersion == v.Version) })
            .ToListAsync(cancellationToken);
        var latest = registry.FindLatest(id)?.Version;
        return versions
            .Select(v => new WorkflowVersionResponse(v.Version, v.ContentHash, v.FileName, v.RegisteredAt, v.Version == latest, v.Cases))
            .ToList();
    }
}
