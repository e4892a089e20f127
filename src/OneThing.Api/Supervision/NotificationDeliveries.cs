using Microsoft.EntityFrameworkCore;
using OneThing.Engine;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Supervision;

public sealed record NotificationDelivery(
    Guid Id,
    Guid CaseId,
    string CaseNumber,
    string StepId,
    string Recipient,
    string? Address,
    string State,
    int Attempts,
    string? LastError,
    string? Channel,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? FailedAt);

public sealed record NotificationDeliveryPage(IReadOnlyList<NotificationDelivery> Items, int Page, int PageSize, int Total);

/// <summary>Notifications that did not reach their recipient: the ones still being retried, or given up on.</summary>
internal static class NotificationDeliveries
{
    public const string Failed = "failed";
    public const string Pending = "pending";

    public static async Task<NotificationDeliveryPage> ListAsync(OneThingDbContext db, string state, int page, int pageSize,
        CancellationToken cancellationToken)
    {
        var notifications = state == Failed
            ? db.Notifications.Where(n => n.FailedAt != null)
            : db.Notifications.Where(n => n.DeliveredAt == null && n.FailedAt == null);
        var joined = notifications.Join(db.Cases, n => n.CaseId, c => c.Id, (n, c) => new { Notification = n, c.CaseNumber });
        var ordered = state == Failed
            ? joined.OrderByDescending(r => r.Notification.FailedAt).ThenBy(r => r.Notification.Id)
            : joined.OrderBy(r => r.Notification.CreatedAt).ThenBy(r => r.Notification.Id);
        var total = await notifications.CountAsync(cancellationToken);
        var rows = await ordered.Skip((page - 1) * pageSize).Take(pageSize).AsNoTracking().ToListAsync(cancellationToken);
        var items = rows.Select(r => new NotificationDelivery(
                r.Notification.Id, r.Notification.CaseId, r.CaseNumber, r.Notification.StepId, r.Notification.Recipient,
                r.Notification.Address is { } address ? PersonalDataMask.Mobile(address) : null,
                r.Notification.FailedAt is null ? Pending : Failed,
                r.Notification.Attempts, r.Notification.LastError, r.Notification.Channel, r.Notification.CreatedAt,
                r.Notification.NextAttemptAt, r.Notification.FailedAt))
            .ToList();
        return new NotificationDeliveryPage(items, page, pageSize, total);
    }
}
