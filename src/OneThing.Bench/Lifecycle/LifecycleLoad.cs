using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Bench.Filing;
using OneThing.Bench.Infrastructure;

namespace OneThing.Bench.Lifecycle;

/// <param name="Reviewers">A client signed in as the reviewer of each department in <see cref="LifecycleLoad.ReviewingDepartments"/>.</param>
public sealed record LifecycleClients(HttpClient Clerk, IReadOnlyDictionary<string, HttpClient> Reviewers);

/// <param name="Clerks">Clients filing at once (closed loop).</param>
/// <param name="ApproversPerDepartment">Approvals each department's reviewer sends at once.</param>
public sealed record LifecycleShape(int Cases, int Clerks, int ApproversPerDepartment);

public sealed record ReviewDecision(string Department, DateTimeOffset SentAt, double LatencyMs)
{
    public DateTimeOffset AnsweredAt => SentAt.AddMilliseconds(LatencyMs);
}

/// <param name="FiledAt">The service's clock, as <paramref name="EndedAt"/>; <paramref name="SentAt"/> is the clerk's.</param>
public sealed record CompletedCase(Guid CaseId, DateTimeOffset SentAt, DateTimeOffset FiledAt, DateTimeOffset EndedAt)
{
    public double FromSendingMs => (EndedAt - SentAt).TotalMilliseconds;
}

public sealed record LifecycleRun(IReadOnlyList<FiledCase> Filed, IReadOnlyList<ReviewDecision> Decisions, IReadOnlyList<CompletedCase> Completed)
{
    /// <summary>From the first filing sent to the last case completed.</summary>
    public TimeSpan Span => Completed.Max(c => c.EndedAt) - Filed.Min(c => c.SentAt);

    public double CasesPerSecond => Completed.Count / Span.TotalSeconds;

    /// <summary>Reviewer decisions a second, from the first approval sent to the last one answered.</summary>
    public double DecisionsPerSecond => Decisions.Count / (Decisions.Max(d => d.AnsweredAt) - Decisions.Min(d => d.SentAt)).TotalSeconds;
}

/// <summary>
/// Identity-change cases from filing to completed, as the service hall works: clerks file them, and each department's
/// reviewer polls its inbox and approves what has arrived, while the housing fund's own system answers over the bus.
/// </summary>
public static class LifecycleLoad
{
    /// <summary>The departments whose reviewers decide a common-path identity change, household registration first.</summary>
    public static readonly IReadOnlyList<string> ReviewingDepartments = ["household-registration", "social-security", "medical-insurance"];

    public const string Comment = "材料齐全，同意";

    private static readonly TimeSpan EmptyInboxPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(10);

    public static async Task<LifecycleRun> RunAsync(LifecycleClients clients, LifecycleShape shape, int firstSeed, CancellationToken cancellationToken)
    {
        // Uploaded before the run starts, so the run's clock measures filing and deciding only.
        var applicationForms = await FilingLoad.UploadApplicationFormsAsync(clients.Clerk, shape.Cases, shape.Clerks, cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(RunLimit);
        var filing = CancelAllOnFailure(stop,
            () => FilingLoad.FileAsync(clients.Clerk, applicationForms, shape.Clerks, firstSeed, stop.Token, IdentityForms.CommonPathRequest));
        var deciding = ReviewingDepartments
            .Select(department => CancelAllOnFailure(stop,
                () => DecideAllAsync(clients.Reviewers[department], department, shape.Cases, shape.ApproversPerDepartment, stop.Token)))
            .ToList();
        try
        {
            var (filed, _) = await filing;
            var decisions = (await Task.WhenAll(deciding)).SelectMany(d => d).ToList();
            var completed = await WaitForCompletionAsync(clients.Clerk, filed, stop.Token);
            return new LifecycleRun(filed, decisions, completed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && stop.IsCancellationRequested)
        {
            // The first failure cancelled the rest; report that one rather than their cancellations.
            var failure = new[] { (Task)filing }.Concat(deciding).FirstOrDefault(task => task.IsFaulted)?.Exception?.InnerException;
            throw failure ?? new TimeoutException($"{shape.Cases} cases did not all complete within {RunLimit.TotalMinutes:0} minutes");
        }
    }

    /// <summary>Polls the department's inbox and approves every open task, until it has approved <paramref name="expected"/>.</summary>
    private static async Task<IReadOnlyList<ReviewDecision>> DecideAllAsync(
        HttpClient reviewer, string department, int expected, int approvers, CancellationToken cancellationToken)
    {
        var decisions = new ConcurrentBag<ReviewDecision>();
        var taken = new HashSet<Guid>();
        while (taken.Count < expected)
        {
            var arrived = (await OpenTasksAsync(reviewer, department, cancellationToken)).Where(taken.Add).ToList();
            if (arrived.Count == 0)
            {
                await Task.Delay(EmptyInboxPause, cancellationToken);
                continue;
            }

            await Parallel.ForEachAsync(arrived, new ParallelOptions { MaxDegreeOfParallelism = approvers, CancellationToken = cancellationToken },
                async (taskId, token) => decisions.Add(await ApproveAsync(reviewer, department, taskId, token)));
        }

        return decisions.ToList();
    }

    public static string InboxPath(string department) => $"/api/departments/{department}/tasks?status=open&pageSize=200";

    public static string ApprovePath(Guid taskId) => $"/api/tasks/{taskId}/approve";

    private static async Task<IEnumerable<Guid>> OpenTasksAsync(HttpClient reviewer, string department, CancellationToken cancellationToken)
    {
        using var response = await reviewer.GetAsync(InboxPath(department), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{department}'s inbox answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("items").EnumerateArray().Select(task => task.GetProperty("id").GetGuid()).ToList();
    }

    private static async Task<ReviewDecision> ApproveAsync(HttpClient reviewer, string department, Guid taskId, CancellationToken cancellationToken)
    {
        var sentAt = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        using var response = await reviewer.PostAsJsonAsync(ApprovePath(taskId), new { comment = Comment }, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Approving task {taskId} of {department} answered {(int)response.StatusCode}: {body}");
        }

        return new ReviewDecision(department, sentAt, latency);
    }

    /// <summary>Reads each case once it is completed; its endedAt is the service's, so this polling does not move it.</summary>
    private static async Task<IReadOnlyList<CompletedCase>> WaitForCompletionAsync(
        HttpClient clerk, IReadOnlyList<FiledCase> filed, CancellationToken cancellationToken)
    {
        var completed = new ConcurrentBag<CompletedCase>();
        await Parallel.ForEachAsync(filed, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (filedCase, token) =>
            {
                while (true)
                {
                    using var json = JsonDocument.Parse(await clerk.GetStringAsync($"/api/cases/{filedCase.CaseId}", token));
                    var status = json.RootElement.GetProperty("status").GetString();
                    if (status == "completed")
                    {
                        completed.Add(new CompletedCase(filedCase.CaseId, filedCase.SentAt,
                            json.RootElement.GetProperty("filedAt").GetDateTimeOffset(), json.RootElement.GetProperty("endedAt").GetDateTimeOffset()));
                        return;
                    }

                    if (status != "running")
                    {
                        throw new InvalidOperationException($"Case {filedCase.CaseId} ended {status}, not completed");
                    }

                    await Task.Delay(EmptyInboxPause, token);
                }
            });
        return completed.ToList();
    }

    private static Task<T> CancelAllOnFailure<T>(CancellationTokenSource stop, Func<Task<T>> work) => Task.Run(async () =>
    {
        try
        {
            return await work();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await stop.CancelAsync();
            throw;
        }
    });
}
