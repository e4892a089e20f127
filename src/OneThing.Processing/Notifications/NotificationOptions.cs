using MailKit.Security;

namespace OneThing.Processing.Notifications;

/// <summary>
/// Which channels carry which recipient's notifications, and how the SMTP and webhook channels reach the outside.
/// Nothing set: every notification goes to the log channel, as in the Quick start.
/// </summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The route of every recipient kind not named in <see cref="Channels"/>.</summary>
    public const string DefaultRoute = "default";

    /// <summary>
    /// Recipient kind → channel names, comma-separated (e.g. <c>clerk = smtp,webhook</c>). The kinds are the engine's:
    /// <c>applicant</c>, <c>clerk</c>, or the key of the mobile field a number came from (e.g. <c>familyPhone</c>).
    /// </summary>
    public Dictionary<string, string> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public SmtpChannelOptions Smtp { get; set; } = new();

    public WebhookChannelOptions Webhook { get; set; } = new();

    /// <summary>Tries after the first within one delivery attempt, before the attempt counts as failed and waits its back-off.</summary>
    public int SendRetries { get; set; } = 2;

    /// <summary>The wait before the first of those tries; it doubles for each further one.</summary>
    public TimeSpan SendRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one try may take; the notification row stays locked meanwhile.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public IReadOnlyList<string> ChannelsFor(string recipient)
    {
        var route = Channels.TryGetValue(recipient, out var named) ? named
            : Channels.TryGetValue(DefaultRoute, out var fallback) ? fallback
            : LoggingNotificationChannel.ChannelName;
        return SplitList(route);
    }

    public static IReadOnlyList<string> SplitList(string? text) =>
        (text ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}

public sealed class SmtpChannelOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>MailKit's names: None, StartTls, SslOnConnect, StartTlsWhenAvailable or Auto.</summary>
    public string Security { get; set; } = nameof(SecureSocketOptions.StartTls);

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>一件事平台 &lt;noreply@jiangbei.gov.cn&gt;</c>.</summary>
    public string? From { get; set; }

    /// <summary>
    /// Recipient kind → addresses, comma-separated: the duty mailbox for <c>clerk</c> (used when the filing account has
    /// no e-mail), or a mailbox standing for a field's recipients (e.g. the community office for <c>familyPhone</c>).
    /// </summary>
    public Dictionary<string, string> Addresses { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key of the form field holding the applicant's e-mail address, in workflows whose form has one.</summary>
    public string ApplicantEmailField { get; set; } = "email";

    public SecureSocketOptions SecureSocket => Enum.Parse<SecureSocketOptions>(Security, ignoreCase: true);
}

public sealed class WebhookChannelOptions
{
    /// <summary>The robot's address, e.g. a 浙政钉 / 企业微信 group robot.</summary>
    public string? Url { get; set; }

    /// <summary>Signs every request: Base64(HMAC-SHA256(secret, timestamp + "\n" + body)).</summary>
    public string? Secret { get; set; }

    public string SignatureHeader { get; set; } = "X-OneThing-Signature";

    /// <summary>Unix milliseconds, as 钉钉 robots use, so a receiver can refuse a replayed request.</summary>
    public string TimestampHeader { get; set; } = "X-OneThing-Timestamp";
}
