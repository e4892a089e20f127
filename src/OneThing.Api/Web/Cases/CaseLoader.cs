using OneThing.Api.Cases;
using OneThing.Api.Web.Shared;
using OneThing.Engine;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Web.Cases;

/// <summary>A case as GET /api/cases/{id} returns it, with the workflow version it runs on (for the diagram and the receipt).</summary>
public sealed record CaseView(CaseResponse Case, WorkflowDefinition Definition);

/// <summary>Reads a case for the pages through the same query as the API.</summary>
public sealed class CaseLoader(ScopedWork work, WorkflowRegistry workflows, SlaClock slaClock, TimeProvider clock)
{
    public Task<CaseView?> LoadAsync(Guid caseId) =>
        work.RunAsync<OneThingDbContext, CaseView?>(async db =>
        {
            var found = await CaseQueries.GetCaseAsync(db, workflows, slaClock, clock, caseId, CancellationToken.None);
            return found is null
                ? null
                : new CaseView(found, await workflows.GetAsync(db, found.WorkflowId, found.WorkflowVersion, CancellationToken.None));
        });
}
