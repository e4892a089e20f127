using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OneThing.Engine;

namespace OneThing.Processing.Notifications;

/// <summary>
/// Posts the notification to a government-messenger group robot (浙政钉 / 企业微信 style): a JSON text message, signed
/// with HMAC-SHA256 over the timestamp and the body, so the receiver can tell it came from us and was not altered.
/// </summary>
public sealed class WebhookNotificationChannel(IHttpClientFactory httpClients, IOptions<NotificationOptions> options) : INotificationChannel
{
    public const string ChannelName = "webhook";
    public const string HttpClientName = "notification-webhook";
    public const string NotificationIdHeader = "X-OneThing-Notification";

    // Robots answer 200 with an error code; these two mean "too many messages", which passes.
    private static readonly HashSet<long> ThrottledCodes = [130101, 45009];

    public string Name => ChannelName;

    public async Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        var webhook = options.Value.Webhook;
        var body = JsonSerializer.Serialize(new { msgtype = "text", text = new { content = Content(notification) } });
        // Wall-clock time, not the business clock: the receiver compares it with its own clock to refuse replays.
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(webhook.TimestampHeader, timestamp);
        request.Headers.Add(webhook.SignatureHeader, Sign(webhook.Secret!, timestamp, body));
        request.Headers.Add(NotificationIdHeader, notification.Id.ToString());

        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500)
        {
            throw new HttpRequestException($"webhook answered {status} {response.ReasonPhrase}", null, response.StatusCode);
        }

        if (status >= 400)
        {
            throw new PermanentNotificationFailure($"webhook refused the message: {status} {response.ReasonPhrase}");
        }

        if (await RobotErrorAsync(response, cancellationToken) is { } robotError)
        {
            throw ThrottledCodes.Contains(robotError.Code)
                ? new HttpRequestException($"webhook robot is throttling: errcode {robotError.Code}")
                : new PermanentNotificationFailure($"webhook robot refused the message: errcode {robotError.Code} {robotError.Message}");
        }
    }

    /// <summary>Base64(HMAC-SHA256(secret, timestamp + "\n" + body)), the value of the signature header.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{body}")));

    // A staff group reads it: the number is masked, as everywhere people may see it without needing it.
    private static string Content(OutgoingNotification notification) =>
        $"【一件事】办件 {notification.CaseNumber}（接收人：{notification.Recipient}" +
        (notification.Address is { } address ? $" {PersonalDataMask.Mobile(address)}" : "") +
        $"）\n{notification.MessageZh}\n{notification.MessageEn}";

    private static async Task<(long Code, string Message)?> RobotErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        try
        {
            using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            if (answer.RootElement.ValueKind == JsonValueKind.Object
                && answer.RootElement.TryGetProperty("errcode", out var code) && code.TryGetInt64(out var number) && number != 0)
            {
                var message = answer.RootElement.TryGetProperty("errmsg", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString()! : "";
                return (number, message.Length > 200 ? message[..200] : message);
            }
        }
        catch (JsonException)
        {
            // A body that is not the robot's JSON answer says nothing more than its 2xx status.
        }

        return null;
    }
}
