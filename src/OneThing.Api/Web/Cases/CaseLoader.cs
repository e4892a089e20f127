using OneThing.Api.Cases;
using OneThing.Api.Web.Shared;
using OneThing.Engine;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Web.Cases;

/// <summary>A case as GET /api/cases/{id} returns it, with the workflow version it runs on (for the diagram and the receipt).</summary>
public sealed record CaseView(CaseResponse Case, WorkflowDefinition Definition);

/// <summary>Reads a case for the pages through the same query as the API: masked as the account may see it, full reads audited.</summary>
public sealed class CaseLoader(ScopedWork work, CurrentUser user, WorkflowRegistry workflows)
{
    public async Task<CaseView?> LoadAsync(Guid caseId)
    {
        var (viewer, actor) = (await user.PrincipalAsync(), await user.ActorAsync());
        return await work.RunAsync<IServiceProvider, CaseView?>(async services =>
        {
            var found = await services.GetRequiredService<CaseQueries>().ReadAuditedAsync(caseId, viewer, actor, CancellationToken.None);
            return found is null
                ? null
                : new CaseView(found, await workflows.GetAsync(services.GetRequiredService<OneThing.Processing.Persistence.OneThingDbContext>(),
                    found.WorkflowId, found.WorkflowVersion, CancellationToken.None));
        });
    }
}
