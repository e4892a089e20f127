using System.Reflection;
using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Audit;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Audit;

/// <param name="From">Inclusive.</param>
/// <param name="To">Exclusive.</param>
public sealed record AuditFilter(string? Actor, string? Action, string? Role, string? TargetId, DateTimeOffset? From, DateTimeOffset? To)
{
    /// <summary>No stored text holds a NUL, and PostgreSQL refuses one in a query: such a filter (typed into a page) matches nothing.</summary>
    public bool MatchesNothing => new[] { Actor, Action, Role, TargetId }.Any(text => text?.Contains('\0', StringComparison.Ordinal) == true);
}

/// <summary>Reads the audit log for GET /api/audit and the audit page alike: newest first, every filter optional.</summary>
internal static class AuditQueries
{
    /// <summary>Every action the service records, for pickers; read from <see cref="AuditActions"/> so a new one is offered at once.</summary>
    public static readonly IReadOnlyList<string> Actions = typeof(AuditActions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    public static async Task<AuditPage> ListAsync(OneThingDbContext db, AuditFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        if (filter.MatchesNothing)
        {
            return new AuditPage([], page, pageSize, 0);
        }

        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(filter.Actor))
        {
            query = query.Where(a => a.Actor == filter.Actor);
        }

        if (!string.IsNullOrEmpty(filter.Action))
        {
            query = query.Where(a => a.Action == filter.Action);
        }

        if (!string.IsNullOrEmpty(filter.Role))
        {
            query = query.Where(a => a.Role == filter.Role);
        }

        if (!string.IsNullOrEmpty(filter.TargetId))
        {
            query = query.Where(a => a.TargetId == filter.TargetId);
        }

        if (filter.From is { } since)
        {
            var sinceUtc = since.ToUniversalTime();
            query = query.Where(a => a.OccurredAt >= sinceUtc);
        }

        if (filter.To is { } until)
        {
            var untilUtc = until.ToUniversalTime();
            query = query.Where(a => a.OccurredAt < untilUtc);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(a => new AuditEntryResponse(a.Id, a.OccurredAt, a.Actor, a.Role, a.Action, a.TargetType, a.TargetId, a.ClientAddress, a.Detail))
            .ToListAsync(cancellationToken);
        return new AuditPage(items, page, pageSize, total);
    }
}
