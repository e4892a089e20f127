using OneThing.Processing.Persistence;

namespace OneThing.Processing.Audit;

/// <summary>
/// Adds audit rows to the caller's unit of work, so an action and its audit row commit together or not at all.
/// The table refuses UPDATE, DELETE and TRUNCATE (a trigger in 0031_audit.sql), whoever asks.
/// </summary>
public sealed class AuditTrail(OneThingDbContext db, TimeProvider clock)
{
    public const int MaxDetailLength = 500;

    public void Add(AuditActor actor, string action, string? targetType = null, string? targetId = null, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            OccurredAt = clock.GetUtcNow(),
            Actor = Truncate(actor.UserName, 256),
            Role = actor.Role,
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            ClientAddress = actor.ClientAddress,
            Detail = Truncate(detail, MaxDetailLength),
        });

    /// <summary>For actions that change nothing else (a read, a sign-in): written at once.</summary>
    public async Task RecordAsync(AuditActor actor, string action, string? targetType = null, string? targetId = null, string? detail = null,
        CancellationToken cancellationToken = default)
    {
        Add(actor, action, targetType, targetId, detail);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Writes the rows added so far, with whatever else the unit of work holds.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken) => await db.SaveChangesAsync(cancellationToken);

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
