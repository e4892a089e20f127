using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneThing.Contracts;
using OneThing.Processing.Cases;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Notifications;

/// <summary>
/// Asks again, through the outbox, for every notification whose next attempt is due: one whose message was lost,
/// or whose last send failed and has waited its back-off. Rows are claimed with SKIP LOCKED, so workers share them.
/// </summary>
public sealed class UndeliveredNotificationResender(
    IServiceScopeFactory scopes,
    OutboxSignal outbox,
    TimeProvider clock,
    IOptions<ProcessingOptions> options,
    ILogger<UndeliveredNotificationResender> logger) : ResendLoop(outbox, clock, options, logger)
{
    public override async Task<int> ResendAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        var now = Clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Notifications
            .FromSql($"""
                SELECT * FROM notifications
                WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= {now}
                ORDER BY next_attempt_at LIMIT 100 FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellationToken);
        foreach (var notification in due)
        {
            // Pushed back first, so a send that is merely slow is not asked for twice in a row.
            notification.NextAttemptAt = now + Options.RedeliveryTimeout;
            outbox.Enqueue(new DeliverNotification(notification.Id, notification.CaseId), notification.CaseId, NotificationConsumer.Queue);
        }

        if (due.Count > 0)
        {
            Logger.LogInformation("Asked again for {Count} undelivered notifications", due.Count);
        }

        await db.SaveAndCommitAsync(transaction, cancellationToken);
        return due.Count;
    }
}
