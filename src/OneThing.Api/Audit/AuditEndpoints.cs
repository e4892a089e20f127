using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
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

        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(actor))
        {
            query = query.Where(a => a.Actor == actor);
        }

        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(a => a.Action == action);
        }

        if (!string.IsNullOrEmpty(role))
        {
            query = query.Where(a => a.Role == role);
        }

        if (!string.IsNullOrEmpty(targetId))
        {
            query = query.Where(a => a.TargetId == targetId);
        }

        if (from is { } since)
        {
            var sinceUtc = since.ToUniversalTime();
            query = query.Where(a => a.OccurredAt >= sinceUtc);
        }

        if (to is { } until)
        {
            var untilUtc = until.ToUniversalTime();
            query = query.Where(a => a.OccurredAt < untilUtc);
        }

        var (number, size) = (page ?? 1, pageSize ?? 100);
        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id)
            .Skip((number - 1) * size).Take(size)
            .Select(a => new AuditEntryResponse(a.Id, a.OccurredAt, a.Actor, a.Role, a.Action, a.TargetType, a.TargetId, a.ClientAddress, a.Detail))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new AuditPage(items, number, size, total));
    }
}
