namespace OneThing.Contracts;

/// <summary>Deliver a stored notification through the notification channel (SMS, government messenger, …).</summary>
public sealed record DeliverNotification(Guid NotificationId, Guid CaseId);
