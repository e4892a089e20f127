using System.Collections.Concurrent;
using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Contracts;

namespace OneThing.Api.Tests;

/// <summary>
/// <c>CaseCompleted</c> is OneThing's integration event for systems that follow cases without taking part in them
/// (好差评, statistics): a subscriber binds a queue of its own to the message's exchange, as docs/department-contract.md says.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class CaseCompletedEventTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_subscriber_of_its_own_gets_CaseCompleted_once_for_a_completed_case_and_once_for_a_rejected_one()
    {
        await using var run = await ObservedHost.StartAsync(postgres);
        var received = new ConcurrentBag<CaseCompleted>();
        var subscriber = run.Host.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint("statistics-case-completed", endpoint =>
            endpoint.Handler<CaseCompleted>(context =>
            {
                received.Add(context.Message);
                return Task.CompletedTask;
            }));
        await subscriber.Ready;

        var completed = await run.Api.FileIdentityChangeAsync(hasSchoolAgeChild: false, ownsProperty: false);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, run.Api.ApproveAsync((await run.Api.WaitForTaskAsync("household-registration", completed.Id)).Id));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, run.Api.ApproveAsync((await run.Api.WaitForTaskAsync("social-security", completed.Id)).Id));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, run.Api.ApproveAsync((await run.Api.WaitForTaskAsync("medical-insurance", completed.Id)).Id));
        var rejected = await run.Api.FileIdentityChangeAsync();
        await ApiClient.ExpectAsync(HttpStatusCode.OK, run.Api.RejectAsync((await run.Api.WaitForTaskAsync("household-registration", rejected.Id)).Id, "户籍信息不符"));

        await run.Api.WaitForCaseAsync(completed.Id, c => c.Status == "completed", "the first case to complete");
        await run.Api.WaitForCaseAsync(rejected.Id, c => c.Status == "rejected", "the second case to be rejected");
        await Eventually.MatchAsync(() => Task.FromResult(received.Count), count => count >= 2, "two CaseCompleted messages");
        // Later deliveries (a relay retry, a duplicate) would show up in this time; there must be none.
        await Task.Delay(TimeSpan.FromSeconds(2));

        var events = received.ToList();
        Assert.Equal(2, events.Count);
        var ofCompleted = Assert.Single(events, e => e.CaseId == completed.Id);
        Assert.Equal("completed", ofCompleted.Outcome);
        Assert.Equal(completed.CaseNumber, ofCompleted.CaseNumber);
        Assert.Equal("identity-change", ofCompleted.WorkflowId);
        Assert.Equal("rejected", Assert.Single(events, e => e.CaseId == rejected.Id).Outcome);
    }
}
