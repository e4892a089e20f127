using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Audit;

public sealed record AuditEntryResponse(
    long Id,
    DateTimeOffset OccurredAt,
    string? Actor,
    string? Role,
    string Action,
    string? TargetType,
    string? TargetId,
    string? ClientAddress,
    string? Detail);

public sealed record AuditPage(IReadOnlyList<AuditEntryResponse> Items, int Page, int PageSize, int Total);

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/audit", ListAsync).RequireAuthorization(Policies.ReadAudit).WithTags("Audit").WithName("ListAuditEntries")
            .WithSummary("The audit log, newest first; filter by actor, action, target, role and time (from inclusive, to exclusive)");
        return routes;
    }

    private static async Task<Results<Ok<AuditPage>, ValidationProblem>> ListAsync(
        OneThingDbContext db,
        string? actor,
        string? action,
        string? role,
        string? targetId,
        DateTimeOffset? from,
        DateTimeOffset? to,
        int? page,
        int? pageSize,
        CancellationToken cancellationToken)
    {
        if (Paging.Check(page, pageSize, maxPageSize: 500) is { Count: > 0 } pageErrors)
        {
            return TypedResults.ValidationProblem(pageErrors);
        }

        return TypedResults.Ok(await AuditQueries.ListAsync(db, new AuditFilter(actor, action, role, targetId, from, to), page ?? 1, pageSize ?? 100,
            cancellationToken));
    }
}
