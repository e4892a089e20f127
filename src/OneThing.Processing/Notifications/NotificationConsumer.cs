using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneThing.Contracts;
using OneThing.Engine;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Notifications;

/// <summary>
/// Hands each stored notification to the channel once. The row is locked while it is sent, so a duplicate message
/// on another worker waits and then finds it delivered. A failed send is recorded and asked for again after a
/// growing wait, until it is delivered or, after the last attempt, marked failed for supervisors.
/// </summary>
public sealed class NotificationConsumer(
    OneThingDbContext db,
    INotificationChannel channel,
    TimeProvider clock,
    IOptions<ProcessingOptions> options,
    ILogger<NotificationConsumer> logger) : IConsumer<DeliverNotification>
{
    public const string Queue = "notifications";

    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromMinutes(10);

    public async Task Consume(ConsumeContext<DeliverNotification> context)
    {
        var cancellationToken = context.CancellationToken;
        using var _ = logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = context.Message.CaseId, ["MessageId"] = context.MessageId });
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var notification = await db.Notifications
            .FromSql($"SELECT * FROM notifications WHERE id = {context.Message.NotificationId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        if (notification is null || notification.DeliveredAt is not null || notification.FailedAt is not null)
        {
            return;
        }

        var caseNumber = await db.Cases.Where(c => c.Id == notification.CaseId).Select(c => c.CaseNumber).SingleAsync(cancellationToken);
        notification.Attempts++;
        try
        {
            await channel.SendAsync(
                new OutgoingNotification(notification.Id, notification.CaseId, caseNumber, notification.Recipient, notification.Address,
                    notification.MessageZh, notification.MessageEn),
                cancellationToken);
            notification.DeliveredAt = clock.GetUtcNow();
            notification.Channel = channel.Name;
            notification.NextAttemptAt = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            RecordFailure(notification, caseNumber, ex);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private void RecordFailure(NotificationRecord notification, string caseNumber, Exception ex)
    {
        var now = clock.GetUtcNow();
        var error = $"{ex.GetType().Name}: {ex.Message}";
        if (notification.Address is { Length: > 0 } address)
        {
            error = error.Replace(address, PersonalDataMask.Mobile(address), StringComparison.Ordinal);
        }

        notification.LastError = error.Length > 500 ? error[..500] : error;
        notification.Channel = channel.Name;
        if (notification.Attempts >= options.Value.NotificationMaxAttempts)
        {
            notification.FailedAt = now;
            notification.NextAttemptAt = null;
            logger.LogError("Notification {NotificationId} for case {CaseNumber} failed {Attempts} times through {Channel} and is marked failed: {Error}",
                notification.Id, caseNumber, notification.Attempts, channel.Name, notification.LastError);
            return;
        }

        var delay = options.Value.NotificationRetryDelay * Math.Pow(2, notification.Attempts - 1);
        notification.NextAttemptAt = now + (delay < LongestRetryDelay ? delay : LongestRetryDelay);
        logger.LogWarning("Notification {NotificationId} for case {CaseNumber} not delivered through {Channel} (attempt {Attempts}): {Error}; trying again at {NextAttemptAt:O}",
            notification.Id, caseNumber, channel.Name, notification.Attempts, notification.LastError, notification.NextAttemptAt);
    }
}
