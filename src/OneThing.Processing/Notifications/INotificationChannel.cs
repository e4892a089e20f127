namespace OneThing.Processing.Notifications;

/// <param name="Recipient">applicant, clerk, or the form field the number came from (e.g. familyPhone).</param>
/// <param name="Address">The mobile number to send to; null for the clerk, who reads it in the case.</param>
public sealed record OutgoingNotification(Guid Id, Guid CaseId, string CaseNumber, string Recipient, string? Address, string MessageZh, string MessageEn);

/// <summary>
/// Where notifications leave the system. The default stores and logs them; an SMS or government-messenger adapter
/// implements this interface and is registered in its place.
/// </summary>
public interface INotificationChannel
{
    /// <summary>A short name recorded with each delivery, e.g. "log" or "sms".</summary>
    string Name { get; }

    Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken);
}
