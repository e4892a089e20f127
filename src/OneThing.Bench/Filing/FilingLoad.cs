using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
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
    /// Waits until each case's first task is open in the department's inbox and reads when that happened from the
    /// case's own timestamps, so the waiting (done after the timed filing) cannot delay or hasten the arrival.
    /// </summary>
    /// <param name="serviceDatabase">
    /// The service's database: the timestamps are read there, a few statements for the whole round, so that what the
    /// service's processes spend in the round is the filings' and their delivery's, not the benchmark's. Empty for a
    /// service at a URL, whose cases are read over HTTP instead (a GET per case, counted with the service's work).
    /// </param>
    public static Task<IReadOnlyList<InboxArrival>> WaitForInboxAsync(string serviceDatabase, HttpClient http, IReadOnlyList<FiledCase> filed,
        CancellationToken cancellationToken) =>
        serviceDatabase.Length > 0 ? WaitInDatabaseAsync(serviceDatabase, filed, cancellationToken) : WaitOverHttpAsync(http, filed, cancellationToken);

    private static async Task<IReadOnlyList<InboxArrival>> WaitInDatabaseAsync(string serviceDatabase, IReadOnlyList<FiledCase> filed,
        CancellationToken cancellationToken)
    {
        var sent = filed.ToDictionary(c => c.CaseId, c => c.SentAt);
        var arrivals = new List<InboxArrival>();
        await using var connection = new NpgsqlConnection(serviceDatabase);
        await connection.OpenAsync(cancellationToken);
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (sent.Count > 0)
        {
            await using (var command = new NpgsqlCommand(
                "SELECT c.id, c.filed_at, min(t.acknowledged_at) FROM cases c JOIN department_tasks t ON t.case_id = c.id " +
                "WHERE c.id = ANY($1) AND t.acknowledged_at IS NOT NULL GROUP BY c.id, c.filed_at", connection))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = sent.Keys.ToArray() });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var caseId = reader.GetGuid(0);
                    var filedAt = reader.GetFieldValue<DateTimeOffset>(1);
                    var acknowledged = reader.GetFieldValue<DateTimeOffset>(2);
                    arrivals.Add(new InboxArrival((acknowledged - sent[caseId]).TotalMilliseconds, (acknowledged - filedAt).TotalMilliseconds, acknowledged));
                    sent.Remove(caseId);
                }
            }

            if (sent.Count > 0 && DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{sent.Count} cases, {sent.Keys.First()} among them, have no task in an inbox two minutes after filing");
            }

            if (sent.Count > 0)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        return arrivals;
    }

    private static async Task<IReadOnlyList<InboxArrival>> WaitOverHttpAsync(HttpClient http, IReadOnlyList<FiledCase> filed,
        CancellationToken cancellationToken)
    {
        var arrivals = new ConcurrentBag<InboxArrival>();
        await Parallel.ForEachAsync(filed, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (filedCase, token) => arrivals.Add(await WaitForCaseOverHttpAsync(http, filedCase, token)));
        return arrivals.ToList();
    }

    private static async Task<InboxArrival> WaitForCaseOverHttpAsync(HttpClient http, FiledCase filed, CancellationToken cancellationToken)
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
