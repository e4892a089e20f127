using Microsoft.Extensions.Logging;
using OneThing.Engine;

namespace OneThing.Processing.Notifications;

/// <summary>
/// Delivers by writing a log line. SMS to a citizen's mobile has no gateway here, so this is where such messages end;
/// the number is masked and the text left out, because logs never hold personal data or message text in clear.
/// </summary>
public sealed class LoggingNotificationChannel(ILogger<LoggingNotificationChannel> logger) : INotificationChannel
{
    public const string ChannelName = "log";

    public string Name => ChannelName;

    public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        logger.LogInformation("Notification {NotificationId} for case {CaseNumber} to {Recipient} ({Address}) written to the log only, no SMS gateway being configured ({Length} characters)",
            notification.Id, notification.CaseNumber, notification.Recipient,
            notification.Address is null ? "in the case" : PersonalDataMask.Mobile(notification.Address), notification.MessageZh.Length);
        return Task.CompletedTask;
    }
}
