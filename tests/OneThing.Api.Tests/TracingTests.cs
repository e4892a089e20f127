using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>The spans the service makes, caught in the test process by an ActivityListener like an exporter's.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class TracingTests(PostgresServer postgres) : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener = new();

    public void Dispose() => _listener.Dispose();

    private void Listen()
    {
        _listener.ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "MassTransit" or "OneThing";
        _listener.Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded;
        _listener.ActivityStopped = _spans.Enqueue;
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task A_filing_request_its_outbox_relay_and_the_department_inbox_consumer_share_one_trace()
    {
        Listen();
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync());
        var api = new ApiClient(host);
        var trace = ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases")
        {
            Content = JsonContent.Create(new { workflowId = "identity-change", form = await api.IdentityChangeFormAsync() }),
        };
        // As a gateway in front of the API would send it: the request joins the caller's trace.
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");

        var filed = await ApiClient.CaseOf(await api.Http.SendAsync(request), HttpStatusCode.Created);
        await api.WaitForTaskAsync("household-registration", filed.Id);

        var inTrace = await Eventually.MatchAsync(() => Task.FromResult(_spans.Where(s => s.TraceId == trace).ToList()),
            spans => spans.Any(IsInboxConsumer), "the household inbox consumer's span in the filing's trace");
        var server = Assert.Single(inTrace, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        var relay = Assert.Single(inTrace, s => s.Source.Name == "OneThing" && s.OperationName == "outbox relay"
            && (string?)s.GetTagItem("onething.message_type") == "RequestDepartmentTask");
        Assert.Equal(server.SpanId, relay.ParentSpanId);
        Assert.Contains(inTrace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer && s.ParentSpanId == relay.SpanId);
        Assert.All(inTrace.SelectMany(s => s.Tags).Select(t => t.Value ?? ""), value =>
        {
            Assert.DoesNotContain("13812345678", value);
            Assert.DoesNotContain("张小明", value);
        });
    }

    [Fact]
    public async Task A_department_systems_answer_continues_the_trace_of_the_request_that_dispatched_its_task()
    {
        Listen();
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync());
        var api = new ApiClient(host);
        var filed = await api.FileIdentityChangeAsync(hasSchoolAgeChild: false, ownsProperty: false);
        var household = await api.WaitForTaskAsync("household-registration", filed.Id);
        var approval = await api.ApproveAsync(household.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, Task.FromResult(approval));
        await api.WaitForCaseAsync(filed.Id, c => ApiClient.Step(c, "housing-fund").TaskState == "approved", "the housing fund's system to approve");

        var approvalSpan = await Eventually.MatchAsync(
            () => Task.FromResult(_spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/approve", StringComparison.Ordinal))),
            span => span is not null, "the approval request's span");
        var inTrace = await Eventually.MatchAsync(() => Task.FromResult(_spans.Where(s => s.TraceId == approvalSpan!.TraceId).ToList()),
            spans => spans.Count(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer) >= 2,
            "the housing fund system's and the engine's consumers in the approval's trace");

        // The approval dispatched the housing fund's task; its system's answer came back to the engine, all in one trace.
        var consumed = inTrace.Where(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer)
            .Select(s => s.GetTagItem("messaging.destination.name") as string ?? s.DisplayName).ToList();
        Assert.Contains(consumed, name => name.Contains("department-system-housing-fund", StringComparison.Ordinal));
        Assert.Contains(consumed, name => name.Contains("case-engine", StringComparison.Ordinal) || name.Contains("DepartmentResult", StringComparison.Ordinal));
    }

    private static bool IsInboxConsumer(Activity span) =>
        span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Consumer
        && (span.GetTagItem("messaging.destination.name") as string ?? span.DisplayName).Contains("department-household-registration", StringComparison.Ordinal);
}
