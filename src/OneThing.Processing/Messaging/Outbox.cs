using System.Text.Json;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Messaging;

/// <summary>Messages to send once the caller's transaction commits; the relay (woken by <see cref="OutboxSignal"/>) sends them.</summary>
public sealed class Outbox(OneThingDbContext db, TimeProvider clock)
{
    public void Enqueue<TMessage>(TMessage message, Guid caseId, string? destination = null) where TMessage : class =>
        db.OutboxMessages.Add(new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(),
            MessageType = typeof(TMessage).Name,
            Destination = destination,
            Payload = JsonSerializer.Serialize(message, OneThingJson.Options),
            CaseId = caseId,
            CreatedAt = clock.GetUtcNow(),
        });

    public bool HasUnsent => db.ChangeTracker.Entries<OutboxMessage>().Any(entry => entry.State == Microsoft.EntityFrameworkCore.EntityState.Added);
}
