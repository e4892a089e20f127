using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OneThing.Api.Tests;

/// <summary>
/// The write path stays lean: what one filing and one decision send to PostgreSQL, counted on the real connection
/// through HTTP, so that an extra query per request cannot creep in unnoticed.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class RoundTripTests(PostgresServer postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _host = new OneThingHost(await postgres.CreateDatabaseAsync(), services: RoundTripCounter.Register);
        _api = new ApiClient(_host);
        await _host.ResetDataAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Filing_a_case_takes_its_number_with_the_upload_lock_and_writes_and_commits_it_in_one_batch()
    {
        await _api.FileIdentityChangeAsync(); // warms the caches and the connection pool, as a running service has them
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases")
        {
            Content = JsonContent.Create(new { workflowId = "identity-change", form = await _api.IdentityChangeFormAsync() }),
        };
        request.Headers.Add(RoundTripCounter.Header, "filing");

        var response = await _api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sent = Counter.SentBy("filing");
        output.WriteLine(string.Join("\n", sent.Select(text => text.Split('\n')[0])));
        // Nothing before the transaction; then the photographed application form's upload locked (so that it binds to this
        // case only) with the case number taken in the same statement, and the one batched SaveChanges (case, history,
        // task, timers, audit, outbox rows, the upload bound) ending with the commit. The answer is shaped from the rows
        // just written.
        Assert.Equal(2, sent.Count);
        Assert.Contains("nextval('case_numbers')", sent[0]);
        Assert.Contains("FROM attachments", sent[0]);
        Assert.Contains("FOR UPDATE", sent[0]);
        Assert.StartsWith("INSERT", sent[1]);
        Assert.Contains("UPDATE attachments", sent[1]);
        Assert.EndsWith("COMMIT;\n", sent[1]);
    }

    [Fact]
    public async Task Deciding_a_task_locks_its_case_once_and_writes_the_next_steps_in_one_batch()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var household = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var reviewer = await _api.ReviewerOfAsync(household.Id);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{household.Id}/approve") { Content = JsonContent.Create(new { comment = "同意" }) };
        request.Headers.Add(RoundTripCounter.Header, "decision");

        var response = await reviewer.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Counter.SentBy("decision");
        output.WriteLine(string.Join("\n", sent.Select(text => text.Split('\n')[0])));
        var write = WritePart(sent);
        Assert.Single(write, text => text.Contains("FOR NO KEY UPDATE"));
        Assert.Contains("FOR NO KEY UPDATE", write[0]);
        Assert.Single(write, text => text.StartsWith("INSERT", StringComparison.Ordinal));
        Assert.True(RoundTripCounter.Commits(write[^1]), "the batch did not commit");
        // The task is read with its open timers; cancelling them rides in the batch, not in a statement of its own.
        Assert.Contains("timers", write[1]);
        Assert.DoesNotContain(write, text => text.StartsWith("UPDATE timers", StringComparison.Ordinal));
        Assert.Contains("UPDATE timers", write[2]);
        // Lock, the task row with its timers, one batch (task, timers, case, history, next tasks, outbox) ending with the commit.
        Assert.Equal(3, write.Count);
        Assert.InRange(sent.Count, write.Count, write.Count + MaxDecisionReads);
    }

    /// <summary>The front door's own-department check, before the command.</summary>
    private const int MaxDecisionReads = 1;

    private RoundTripCounter Counter => _host.Services.GetRequiredService<RoundTripCounter>();

    /// <summary>From the first statement of the command's transaction to its commit.</summary>
    private static List<string> WritePart(IReadOnlyList<string> sent)
    {
        var commit = sent.ToList().FindLastIndex(RoundTripCounter.Commits);
        Assert.True(commit >= 0, "the request committed nothing");
        var start = sent.Take(commit).ToList().FindIndex(text => text.Contains("nextval('case_numbers')") || text.Contains("FOR NO KEY UPDATE"));
        Assert.True(start >= 0, "the request neither numbered a case nor locked one");
        return sent.Skip(start).Take(commit - start + 1).ToList();
    }
}
