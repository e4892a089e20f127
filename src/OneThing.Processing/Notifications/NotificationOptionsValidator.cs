using System.Net;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using OneThing.Processing.Hosting;

namespace OneThing.Processing.Notifications;

/// <summary>
/// Refuses, at start-up, settings that would only fail when the first notification is sent: an unknown channel, an
/// SMTP or webhook channel in use but not configured, a malformed address, credentials sent without TLS.
/// </summary>
internal sealed class NotificationOptionsValidator(IServiceProvider services) : IValidateOptions<NotificationOptions>
{
    private const int ShortestSecret = 16;

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        // Resolved here, not in the constructor: the channels take these options themselves.
        var known = services.GetServices<INotificationChannel>().Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (recipient, route) in options.Channels)
        {
            var channels = NotificationOptions.SplitList(route);
            if (channels.Count == 0)
            {
                errors.Add($"{Setting($"Channels:{recipient}")} is empty; name at least one channel ({string.Join(", ", known.Order())}).");
            }

            foreach (var channel in channels)
            {
                used.Add(channel);
                if (!known.Contains(channel))
                {
                    errors.Add($"{Setting($"Channels:{recipient}")} names '{channel}', which is not a channel; use {string.Join(", ", known.Order())}.");
                }
            }
        }

        if (used.Contains(SmtpNotificationChannel.ChannelName))
        {
            CheckSmtp(options.Smtp, errors);
        }

        if (used.Contains(WebhookNotificationChannel.ChannelName))
        {
            CheckWebhook(options.Webhook, errors);
        }

        if (options.SendRetries is < 0 or > 10)
        {
            errors.Add($"{Setting("SendRetries")} is {options.SendRetries}; use 0 to 10.");
        }

        if (options.SendRetryDelay < TimeSpan.Zero || options.SendTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Setting("SendRetryDelay")} must not be negative and {Setting("SendTimeout")} must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckSmtp(SmtpChannelOptions smtp, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            errors.Add($"The smtp channel is in use but {Setting("Smtp:Host")} is not set.");
        }

        if (smtp.Port is < 1 or > 65535)
        {
            errors.Add($"{Setting("Smtp:Port")} is {smtp.Port}; use 1 to 65535.");
        }

        var security = Enum.TryParse<SecureSocketOptions>(smtp.Security, ignoreCase: true, out var parsed) && !int.TryParse(smtp.Security, out _)
            ? parsed
            : (SecureSocketOptions?)null;
        if (security is null)
        {
            errors.Add($"{Setting("Smtp:Security")} is '{smtp.Security}'; use {string.Join(", ", Enum.GetNames<SecureSocketOptions>())}.");
        }

        if (!MailboxAddress.TryParse(smtp.From ?? "", out _))
        {
            errors.Add($"The smtp channel is in use but {Setting("Smtp:From")} is not an e-mail address (e.g. \"一件事平台 <noreply@example.gov.cn>\").");
        }

        if (!string.IsNullOrEmpty(smtp.UserName) && string.IsNullOrEmpty(smtp.Password))
        {
            errors.Add($"{Setting("Smtp:UserName")} is set but {Setting("Smtp:Password")} is not.");
        }

        // Credentials in clear are acceptable only to a relay on this very machine.
        if (!string.IsNullOrEmpty(smtp.UserName) && security is SecureSocketOptions.None or SecureSocketOptions.StartTlsWhenAvailable
            && !IsLoopback(smtp.Host))
        {
            errors.Add($"{Setting("Smtp:Security")} is {smtp.Security} with a user name: the password could travel in clear; use StartTls or SslOnConnect.");
        }

        foreach (var (recipient, addresses) in smtp.Addresses)
        {
            var invalid = NotificationOptions.SplitList(addresses).Count(address => !MailboxAddress.TryParse(address, out _));
            if (invalid > 0 || NotificationOptions.SplitList(addresses).Count == 0)
            {
                errors.Add($"{Setting($"Smtp:Addresses:{recipient}")} holds {Math.Max(invalid, 1)} value(s) that are not e-mail addresses; separate addresses with commas.");
            }
        }
    }

    private static void CheckWebhook(WebhookChannelOptions webhook, List<string> errors)
    {
        if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add($"The webhook channel is in use but {Setting("Webhook:Url")} is not an http(s) address.");
        }
        else if (url.Scheme == "http" && !IsLoopback(url.Host))
        {
            errors.Add($"{Setting("Webhook:Url")} uses plain http to another machine; use https.");
        }

        if (string.IsNullOrEmpty(webhook.Secret) || webhook.Secret.Length < ShortestSecret)
        {
            errors.Add($"The webhook channel is in use but {Setting("Webhook:Secret")} is missing or shorter than {ShortestSecret} characters.");
        }

        foreach (var (header, value) in new[] { ("SignatureHeader", webhook.SignatureHeader), ("TimestampHeader", webhook.TimestampHeader) })
        {
            if (string.IsNullOrWhiteSpace(value) || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.Add($"{Setting($"Webhook:{header}")} is '{value}'; use letters, digits and '-' (e.g. X-OneThing-Signature).");
            }
        }

        if (string.Equals(webhook.SignatureHeader, webhook.TimestampHeader, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Setting("Webhook:SignatureHeader")} and {Setting("Webhook:TimestampHeader")} must differ.");
        }
    }

    private static bool IsLoopback(string? host) =>
        host is "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    /// <summary>Names the setting as it is written in appsettings and as an environment variable.</summary>
    private static string Setting(string path) => SettingName.Of(NotificationOptions.Section, path);
}
