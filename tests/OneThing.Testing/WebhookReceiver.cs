using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OneThing.Testing;

/// <summary>
/// A messenger robot's endpoint as a real HTTP server (Kestrel on a free loopback port). It checks each request's
/// HMAC-SHA256 signature with its own secret, the way a 浙政钉 / 企业微信 receiver would, and answers 401 to a bad one;
/// good requests get the planned statuses in turn, then 200 with the robots' <c>{"errcode":0}</c>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string SignatureHeader = "X-OneThing-Signature";
    public const string TimestampHeader = "X-OneThing-Timestamp";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _planned;

    private WebhookReceiver(WebApplication app, string secret, IEnumerable<int> planned)
    {
        _app = app;
        Secret = secret;
        _planned = new ConcurrentQueue<int>(planned);
        app.MapPost("/robot", ReceiveAsync);
    }

    public string Secret { get; }

    public string Url { get; private set; } = "";

    public ConcurrentQueue<ReceivedWebhook> Requests { get; } = new();

    /// <param name="statuses">What the first valid requests are answered with, in order (e.g. 500, 500); 200 afterwards.</param>
    public static async Task<WebhookReceiver> StartAsync(string secret, params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new WebhookReceiver(builder.Build(), secret, statuses);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = $"{address}/robot";
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var timestamp = request.Headers[TimestampHeader].ToString();
        var signature = request.Headers[SignatureHeader].ToString();
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{timestamp}\n{body}")));
        var fresh = long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
                    && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - milliseconds) < 300_000;
        var valid = fresh && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
        Requests.Enqueue(new ReceivedWebhook(body, valid, request.Headers["X-OneThing-Notification"].ToString()));
        if (!valid)
        {
            return Results.Json(new { errcode = 310000, errmsg = "sign not match" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        return _planned.TryDequeue(out var status)
            ? Results.Json(new { errcode = status, errmsg = "planned failure" }, statusCode: status)
            : Results.Json(new { errcode = 0, errmsg = "ok" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedWebhook(string Body, bool SignatureValid, string NotificationId)
{
    public string Content => JsonDocument.Parse(Body).RootElement.GetProperty("text").GetProperty("content").GetString()!;

    public string MessageType => JsonDocument.Parse(Body).RootElement.GetProperty("msgtype").GetString()!;
}
