using System.Text.RegularExpressions;
using OneThing.Engine;

namespace OneThing.Processing.Notifications;

/// <summary>
/// What a failed send is recorded and logged as. Gateways and mail servers like to quote the address they refused or
/// the text they got, so every address and the message itself are masked before the reason is stored or logged.
/// </summary>
internal static partial class DeliveryErrorText
{
    private const int LongestReason = 500;

    public static string Describe(Exception error, OutgoingNotification notification) =>
        Mask(error is PermanentNotificationFailure ? error.Message : $"{error.GetType().Name}: {error.Message}", notification);

    public static string Mask(string text, OutgoingNotification notification)
    {
        foreach (var message in new[] { notification.MessageZh, notification.MessageEn }.Where(m => m.Length > 0))
        {
            text = text.Replace(message, "[message]", StringComparison.Ordinal);
        }

        if (notification.Address is { Length: > 0 } address)
        {
            text = text.Replace(address, PersonalDataMask.Mobile(address), StringComparison.Ordinal);
        }

        text = EmailAddress().Replace(text, match => PersonalDataMask.Email(match.Value));
        text = MobileNumber().Replace(text, match => PersonalDataMask.Mobile(match.Value));
        return text.Length > LongestReason ? text[..LongestReason] : text;
    }

    [GeneratedRegex(@"[^\s<>""'(),;:@]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();

    [GeneratedRegex(@"(?<!\d)1[3-9]\d{9}(?!\d)")]
    private static partial Regex MobileNumber();
}
