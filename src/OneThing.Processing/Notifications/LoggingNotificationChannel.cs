using Microsoft.Extensions.Logging;
using OneThing.Engine;

namespace OneThing.Processing.Notifications;

/// <summary>Delivers by writing a log line; the number is masked, because logs never hold personal data in clear.</summary>
public sealed class LoggingNotificationChannel(ILogger<LoggingNotificationChannel> logger) : INotificationChannel
{
    public string Name => "log";

    public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        logger.LogInformation("Notification {NotificationId} for case {CaseNumber} to {Recipient} ({Address}): {Message}",
            notification.Id, notification.CaseNumber, notification.Recipient,
            notification.Address is null ? "in the case" : PersonalDataMask.Mobile(notification.Address), notification.MessageZh);
        return Task.CompletedTask;
    }
}
