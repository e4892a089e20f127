using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace OneThing.Processing.Notifications;

/// <summary>
/// Sends the notification as a plain-text e-mail through the configured SMTP server. The message id is derived from
/// the notification's id, so a receiving system can drop the copy a retry after a lost acknowledgement sends again.
/// </summary>
public sealed class SmtpNotificationChannel(IOptions<NotificationOptions> options) : INotificationChannel
{
    public const string ChannelName = "smtp";

    public string Name => ChannelName;

    public async Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (notification.EmailAddresses.Count == 0)
        {
            throw new PermanentNotificationFailure(
                $"no e-mail address for recipient '{notification.Recipient}': set {NotificationOptions.Section}__Smtp__Addresses__{notification.Recipient}");
        }

        using var message = Compose(smtp, notification);
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.SecureSocket, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password!, cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException refused) when ((int)refused.StatusCode >= 500)
        {
            throw new PermanentNotificationFailure($"SMTP server refused ({(int)refused.StatusCode} {refused.ErrorCode}): {refused.Message}", refused);
        }
        catch (AuthenticationException refused)
        {
            throw new PermanentNotificationFailure($"SMTP server refused the credentials of {NotificationOptions.Section}__Smtp__UserName: {refused.Message}", refused);
        }
        catch (SslHandshakeException failed)
        {
            throw new PermanentNotificationFailure($"TLS with the SMTP server failed ({NotificationOptions.Section}__Smtp__Security is {smtp.Security})", failed);
        }
        catch (Exception failed) when (failed is SocketException or ServiceNotConnectedException or SmtpProtocolException or IOException)
        {
            throw new IOException($"SMTP server {smtp.Host}:{smtp.Port} could not be reached or dropped the connection ({failed.GetType().Name}: {failed.Message})", failed);
        }
    }

    private static MimeMessage Compose(SmtpChannelOptions smtp, OutgoingNotification notification)
    {
        var message = new MimeMessage
        {
            MessageId = $"{notification.Id:N}@onething",
            Subject = $"【一件事】办件 {notification.CaseNumber} 通知 / Case {notification.CaseNumber}",
            Body = new TextPart("plain")
            {
                Text = $"{notification.MessageZh}\n\n{notification.MessageEn}\n\n受理编号 / Case number: {notification.CaseNumber}\n",
            },
        };
        message.From.Add(MailboxAddress.Parse(smtp.From!));
        message.To.AddRange(notification.EmailAddresses.Select(MailboxAddress.Parse));
        return message;
    }
}
