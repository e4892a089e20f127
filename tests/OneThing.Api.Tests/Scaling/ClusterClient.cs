using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Scaling;

/// <summary>
/// Talks to several API nodes as a load balancer and a patient client would together: round robin, and a request
/// that finds its node down (refused, reset, timed out, 502/503) is tried again on the next node until a deadline.
/// A token from one node is used on every node, which the shared data-protection keys allow.
/// </summary>
internal sealed class ClusterClient(IReadOnlyList<Uri> nodes) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = TimeSpan.FromSeconds(20),
    };

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _tokens = new();
    private int _next;
    private int _retried;
    private int _serverErrors;

    /// <summary>Requests that had to be sent again because their node was down or unavailable.</summary>
    public int Retried => _retried;

    /// <summary>500 answers seen; there should be none, even while a node or a dependency is down.</summary>
    public int ServerErrors => _serverErrors;

    public Task<HttpResponseMessage> PostAsync(string user, string path, object body, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        SendAsync(user, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            return request;
        }, cancellationToken);

    /// <summary>Uploads one file as multipart/form-data; a retry after a lost answer may leave an unused upload, which the purge removes.</summary>
    public Task<HttpResponseMessage> UploadAsync(string user, string fileName, string contentType, byte[] content, CancellationToken cancellationToken) =>
        SendAsync(user, () =>
        {
            var file = new ByteArrayContent(content);
            file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            return new HttpRequestMessage(HttpMethod.Post, "/api/attachments") { Content = new MultipartFormDataContent { { file, "file", fileName } } };
        }, cancellationToken);

    public async Task<JsonElement> GetJsonAsync(string user, string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(user, () => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(string user, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var node = NextNode();
            try
            {
                var token = await TokenAsync(user, cancellationToken);
                using var request = build();
                request.RequestUri = new Uri(node, request.RequestUri!.OriginalString);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var response = await _http.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.InternalServerError)
                {
                    Interlocked.Increment(ref _serverErrors);
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    _tokens.TryRemove(user, out _);
                }

                if (!IsNodeTrouble(response.StatusCode) || DateTimeOffset.UtcNow > deadline)
                {
                    return response;
                }

                response.Dispose();
            }
            catch (Exception ex) when (IsNodeDown(ex, cancellationToken) && DateTimeOffset.UtcNow < deadline)
            {
            }

            Interlocked.Increment(ref _retried);
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        }
    }

    private Uri NextNode() => nodes[(int)((uint)Interlocked.Increment(ref _next) % nodes.Count)];

    private Task<string> TokenAsync(string user, CancellationToken cancellationToken)
    {
        var token = _tokens.GetOrAdd(user, name => new Lazy<Task<string>>(() => SignInAsync(name, cancellationToken)));
        if (token.Value.IsFaulted)
        {
            _tokens.TryRemove(KeyValuePair.Create(user, token));
        }

        return token.Value;
    }

    private async Task<string> SignInAsync(string user, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            try
            {
                using var response = await _http.PostAsJsonAsync(new Uri(NextNode(), "/api/auth/login"),
                    new { userName = user, password = Staff.DemoPassword }, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString()!;
                }

                if (!IsNodeTrouble(response.StatusCode) || DateTimeOffset.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Signing in as {user} failed: {(int)response.StatusCode}");
                }
            }
            catch (Exception ex) when (IsNodeDown(ex, cancellationToken) && DateTimeOffset.UtcNow < deadline)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        }
    }

    private static bool IsNodeTrouble(HttpStatusCode status) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            or HttpStatusCode.InternalServerError;

    private static bool IsNodeDown(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
        && ex is HttpRequestException or SocketException or IOException or TaskCanceledException;

    public void Dispose() => _http.Dispose();
}
