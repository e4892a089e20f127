namespace OneThing.Processing.Notifications;

/// <param name="Recipient">applicant, clerk, or the form field the number came from (e.g. familyPhone).</param>
/// <param name="Address">The mobile number to send to; null for the clerk, who reads it in the case.</param>
public sealed record OutgoingNotification(Guid Id, Guid CaseId, string CaseNumber, string Recipient, string? Address, string MessageZh, string MessageEn)
{
    /// <summary>Where the SMTP channel sends it: the applicant's e-mail field, the filing clerk's account, or the configured mailboxes.</summary>
    public IReadOnlyList<string> EmailAddresses { get; init; } = [];
}

/// <summary>
/// Where notifications leave the system: the log (the stand-in for SMS, which has no gateway here), SMTP, or a
/// government-messenger robot's webhook. Settings choose the channels per recipient kind (<see cref="NotificationOptions"/>).
/// </summary>
public interface INotificationChannel
{
    /// <summary>The name settings route by and each delivery records, e.g. "log", "smtp" or "webhook".</summary>
    string Name { get; }

    /// <summary>Throws <see cref="PermanentNotificationFailure"/> when trying again cannot help; any other exception is retried.</summary>
    Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken);
}

/// <summary>The far side refused for good (a webhook's 4xx, an SMTP 5xx, no address to send to): the notification fails at once.</summary>
public sealed class PermanentNotificationFailure(string reason, Exception? inner = null) : Exception(reason, inner);
