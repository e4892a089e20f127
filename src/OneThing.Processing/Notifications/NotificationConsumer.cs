using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Contracts;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Notifications;

/// <summary>Hands each stored notification to the channel once; a re-delivered message finds it delivered and does nothing.</summary>
public sealed class NotificationConsumer(OneThingDbContext db, INotificationChannel channel, TimeProvider clock, ILogger<NotificationConsumer> logger)
    : IConsumer<DeliverNotification>
{
    public const string Queue = "notifications";

    public async Task Consume(ConsumeContext<DeliverNotification> context)
    {
        using var _ = logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = context.Message.CaseId, ["MessageId"] = context.MessageId });
        var notification = await db.Notifications.SingleOrDefaultAsync(n => n.Id == context.Message.NotificationId, context.CancellationToken);
        if (notification is null || notification.DeliveredAt is not null)
        {
            return;
        }

        var caseNumber = await db.Cases.Where(c => c.Id == notification.CaseId).Select(c => c.CaseNumber).SingleAsync(context.CancellationToken);
        await channel.SendAsync(
            new OutgoingNotification(notification.Id, notification.CaseId, caseNumber, notification.Recipient, notification.Address,
                notification.MessageZh, notification.MessageEn),
            context.CancellationToken);
        notification.DeliveredAt = clock.GetUtcNow();
        notification.Channel = channel.Name;
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
