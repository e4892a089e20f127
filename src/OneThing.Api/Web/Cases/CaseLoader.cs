using OneThing.Api.Cases;
using OneThing.Api.Web.Shared;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Web.Cases;

/// <summary>A case as GET /api/cases/{id} returns it, with the workflow version it runs on (for the diagram and the receipt).</summary>
public sealed record CaseView(CaseResponse Case, WorkflowDefinition Definition);

/// <summary>Reads a case for the pages through the same query as the API: masked as the account may see it, full reads audited.</summary>
public sealed class CaseLoader(ScopedWork work, CurrentUser user, WorkflowRegistry workflows, SlaClock slaClock, TimeProvider clock)
{
    public async Task<CaseView?> LoadAsync(Guid caseId)
    {
        var (viewer, actor) = (await user.PrincipalAsync(), await user.ActorAsync());
        return await work.RunAsync<IServiceProvider, CaseView?>(async services =>
        {
            var db = services.GetRequiredService<OneThing.Processing.Persistence.OneThingDbContext>();
            var found = await CaseQueries.ReadAuditedAsync(db, workflows, slaClock, clock, services.GetRequiredService<AuditTrail>(), viewer, actor,
                caseId, CancellationToken.None);
            return found is null
                ? null
                : new CaseView(found, await workflows.GetAsync(db, found.WorkflowId, found.WorkflowVersion, CancellationToken.None));
        });
    }
}
