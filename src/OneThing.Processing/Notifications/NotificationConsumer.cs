using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneThing.Contracts;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Notifications;

/// <summary>
/// Hands each stored notification to the channels its recipient kind is routed to, each once. The row is locked while
/// it is sent, so a duplicate message on another worker waits and then finds it delivered; a channel that delivered is
/// not asked again when another one failed. A failed send is recorded and asked for again after a growing wait, until
/// it is delivered or, after the last attempt or at once on a permanent refusal, marked failed for supervisors.
/// </summary>
public sealed class NotificationConsumer(
    OneThingDbContext db,
    IEnumerable<INotificationChannel> channels,
    NotificationSending sending,
    EmailRecipients emailRecipients,
    TimeProvider clock,
    IOptions<ProcessingOptions> options,
    IOptions<NotificationOptions> routes,
    ILogger<NotificationConsumer> logger) : IConsumer<DeliverNotification>
{
    public const string Queue = "notifications";

    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromMinutes(10);

    private sealed record CaseAddressing(string CaseNumber, string? FiledBy, string Form);

    private static readonly Func<OneThingDbContext, Guid, CancellationToken, Task<NotificationRecord?>> LockNotification =
        EF.CompileAsyncQuery((OneThingDbContext db, Guid notificationId, CancellationToken _) =>
            db.Notifications.TagWith(RowLocks.ForUpdate).SingleOrDefault(n => n.Id == notificationId));

    private static readonly Func<OneThingDbContext, Guid, CancellationToken, Task<CaseAddressing>> ReadCase =
        EF.CompileAsyncQuery((OneThingDbContext db, Guid caseId, CancellationToken _) =>
            db.Cases.Where(c => c.Id == caseId).Select(c => new CaseAddressing(c.CaseNumber, c.FiledBy, c.Form)).Single());

    public async Task Consume(ConsumeContext<DeliverNotification> context)
    {
        var cancellationToken = context.CancellationToken;
        using var _ = logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = context.Message.CaseId, ["MessageId"] = context.MessageId });
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var notification = await LockNotification(db, context.Message.NotificationId, cancellationToken);
        if (notification is null || notification.DeliveredAt is not null || notification.FailedAt is not null)
        {
            return;
        }

        var @case = await ReadCase(db, notification.CaseId, cancellationToken);
        var routed = Route(notification.Recipient);
        notification.Attempts++;
        notification.Channel = string.Join(",", routed.Select(c => c.Name));
        var outgoing = new OutgoingNotification(notification.Id, notification.CaseId, @case.CaseNumber, notification.Recipient, notification.Address,
            notification.MessageZh, notification.MessageEn)
        {
            EmailAddresses = await emailRecipients.ForAsync(notification.Recipient, @case.FiledBy, @case.Form, cancellationToken),
        };

        var failures = new List<(string Channel, Exception Error)>();
        foreach (var channel in routed.Where(c => !notification.DeliveredChannels.Contains(c.Name)))
        {
            try
            {
                await sending.SendAsync(channel, outgoing, cancellationToken);
                notification.DeliveredChannels = [.. notification.DeliveredChannels, channel.Name];
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add((channel.Name, ex));
            }
        }

        if (failures.Count == 0)
        {
            notification.DeliveredAt = clock.GetUtcNow();
            notification.NextAttemptAt = null;
        }
        else
        {
            RecordFailure(notification, outgoing, failures);
        }

        await db.SaveAndCommitAsync(transaction, cancellationToken);
    }

    /// <summary>The channels settings name for this recipient kind; the validator made sure each name exists.</summary>
    private List<INotificationChannel> Route(string recipient)
    {
        var byName = channels.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);
        return routes.Value.ChannelsFor(recipient).Select(name => byName[name]).ToList();
    }

    private void RecordFailure(NotificationRecord notification, OutgoingNotification outgoing, List<(string Channel, Exception Error)> failures)
    {
        var now = clock.GetUtcNow();
        var error = string.Join("; ", failures.Select(f => $"{f.Channel}: {DeliveryErrorText.Describe(f.Error, outgoing)}"));
        notification.LastError = DeliveryErrorText.Mask(error, outgoing);
        var permanent = failures.Any(f => f.Error is PermanentNotificationFailure);
        if (permanent || notification.Attempts >= options.Value.NotificationMaxAttempts)
        {
            notification.FailedAt = now;
            notification.NextAttemptAt = null;
            logger.LogError("Notification {NotificationId} for case {CaseNumber} failed {Reason} after {Attempts} attempt(s) through {Channel} and is marked failed: {Error}",
                notification.Id, outgoing.CaseNumber, permanent ? "permanently" : "every time", notification.Attempts, notification.Channel, notification.LastError);
            return;
        }

        var delay = options.Value.NotificationRetryDelay * Math.Pow(2, notification.Attempts - 1);
        notification.NextAttemptAt = now + (delay < LongestRetryDelay ? delay : LongestRetryDelay);
        logger.LogWarning("Notification {NotificationId} for case {CaseNumber} not delivered through {Channel} (attempt {Attempts}): {Error}; trying again at {NextAttemptAt:O}",
            notification.Id, outgoing.CaseNumber, notification.Channel, notification.Attempts, notification.LastError, notification.NextAttemptAt);
    }
}
