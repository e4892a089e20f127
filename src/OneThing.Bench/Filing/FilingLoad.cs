using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Bench.Infrastructure;

namespace OneThing.Bench.Filing;

public sealed record FiledCase(Guid CaseId, DateTimeOffset SentAt, double LatencyMs);

/// <param name="FromSendingMs">From the client sending the POST until the task is open in the department's inbox.</param>
/// <param name="FromFilingMs">From the case's filedAt until its task's acknowledgedAt, both the service's clock.</param>
public sealed record InboxArrival(double FromSendingMs, double FromFilingMs, DateTimeOffset AcknowledgedAt);

/// <summary>Clerks filing identity-change cases over HTTP, a fixed number at a time (a closed loop: each sends its next case when the last is answered).</summary>
public static class FilingLoad
{
    /// <summary>
    /// Uploads one photographed application form per case to come, as the clerk of <paramref name="http"/>. An upload
    /// serves one case only, so the filings need one each; call this before the timed part (and before reading the
    /// service's work), so that what is measured stays the filing alone.
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> UploadApplicationFormsAsync(HttpClient http, int cases, int concurrency, CancellationToken cancellationToken)
    {
        var ids = new Guid[cases];
        var photo = IdentityForms.ApplicationFormPhoto();
        await Parallel.ForEachAsync(Enumerable.Range(0, cases), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var file = new ByteArrayContent(photo);
                file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
                using var content = new MultipartFormDataContent { { file, "file", IdentityForms.ApplicationFormPhotoName } };
                using var response = await http.PostAsync("/api/attachments", content, token);
                var body = await response.Content.ReadAsStringAsync(token);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"Uploading an application form answered {(int)response.StatusCode}: {body}");
                }

                using var json = JsonDocument.Parse(body);
                ids[i] = json.RootElement.GetProperty("attachmentId").GetGuid();
            });
        return ids;
    }

    /// <param name="applicationForms">One unused upload per case (<see cref="UploadApplicationFormsAsync"/>); as many cases are filed.</param>
    /// <param name="request">The body for a seed and upload; default <see cref="IdentityForms.Request"/>, forms of every shape.</param>
    public static async Task<(IReadOnlyList<FiledCase> Cases, TimeSpan Elapsed)> FileAsync(HttpClient http, IReadOnlyList<Guid> applicationForms,
        int concurrency, int firstSeed, CancellationToken cancellationToken, Func<int, Guid, object>? request = null)
    {
        request ??= IdentityForms.Request;
        var cases = applicationForms.Count;
        var filed = new ConcurrentBag<FiledCase>();
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < cases; i = Interlocked.Increment(ref next))
            {
                var sentAt = DateTimeOffset.UtcNow;
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync("/api/cases", request(firstSeed + i, applicationForms[i]), cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"Filing answered {(int)response.StatusCode}: {body}");
                }

                using var json = JsonDocument.Parse(body);
                filed.Add(new FiledCase(json.RootElement.GetProperty("id").GetGuid(), sentAt, latency));
            }
        }, cancellationToken)));
        return (filed.ToList(), stopwatch.Elapsed);
    }

    /// <summary>
    /// Polls each case until its first task is open in the department's inbox and reads when that happened from the
    /// case's own timestamps, so the polling (done after the timed filing) cannot delay or hasten the arrival.
    /// </summary>
    public static async Task<IReadOnlyList<InboxArrival>> WaitForInboxAsync(
        HttpClient http, IReadOnlyList<FiledCase> filed, CancellationToken cancellationToken)
    {
        var arrivals = new ConcurrentBag<InboxArrival>();
        await Parallel.ForEachAsync(filed, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (filedCase, token) => arrivals.Add(await WaitForInboxAsync(http, filedCase, token)));
        return arrivals.ToList();
    }

    private static async Task<InboxArrival> WaitForInboxAsync(HttpClient http, FiledCase filed, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (true)
        {
            using var json = JsonDocument.Parse(await http.GetStringAsync($"/api/cases/{filed.CaseId}", cancellationToken));
            var filedAt = json.RootElement.GetProperty("filedAt").GetDateTimeOffset();
            var acknowledged = json.RootElement.GetProperty("steps").EnumerateArray()
                .Where(step => step.GetProperty("acknowledgedAt").ValueKind == JsonValueKind.String)
                .Select(step => step.GetProperty("acknowledgedAt").GetDateTimeOffset())
                .Order()
                .ToList();
            if (acknowledged.Count > 0)
            {
                return new InboxArrival((acknowledged[0] - filed.SentAt).TotalMilliseconds, (acknowledged[0] - filedAt).TotalMilliseconds,
                    acknowledged[0]);
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Case {filed.CaseId} has no task in an inbox two minutes after filing");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
