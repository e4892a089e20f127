using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Notifications;

namespace OneThing.Api.Tests;

/// <summary>What was not acknowledged, answered or delivered is asked for again; what leaves a transaction goes through the outbox.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class DeliveryTests(PostgresServer postgres)
{
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Processing:ResendCheckInterval"] = "00:00:00.200",
        ["Processing:RedeliveryTimeout"] = "00:00:00.500",
        ["Processing:NotificationRetryDelay"] = "00:00:00.100",
    };

    // The durable retry is under test here, not the quick tries inside one attempt.
    private static readonly Dictionary<string, string?> ThroughTestGateway = new(FastRetries)
    {
        ["Notifications:Channels:default"] = "sms-test",
        ["Notifications:SendRetries"] = "0",
    };

    [Fact]
    public async Task An_automated_task_acknowledged_but_never_answered_is_asked_again_and_completes()
    {
        var database = await postgres.CreateDatabaseAsync();
        Guid caseId;
        Guid housingFundTask;
        await using (var silentSystem = new OneThingHost(database, new Dictionary<string, string?> { ["Processing:SimulateDepartmentSystems"] = "false" }))
        {
            var api = new ApiClient(silentSystem);
            caseId = (await api.FileIdentityChangeAsync(hasSchoolAgeChild: false, ownsProperty: false)).Id;
            await api.ApproveAsync((await api.WaitForTaskAsync("household-registration", caseId)).Id);
            housingFundTask = await Eventually.MatchAsync(
                () => silentSystem.WithDbAsync(db => db.DepartmentTasks.Where(t => t.CaseId == caseId && t.StepId == "housing-fund").Select(t => t.Id).ToListAsync()),
                ids => ids.Count == 1, "the housing-fund task to be dispatched").ContinueWith(t => t.Result.Single());

            // The department system acknowledges (as the engine's consumer records it), then dies before it answers.
            await using var scope = silentSystem.Services.CreateAsyncScope();
            Assert.True(await scope.ServiceProvider.GetRequiredService<AcknowledgeTask>().HandleAsync(housingFundTask, "system:housing-fund", CancellationToken.None));
        }

        await using var systemBack = new OneThingHost(database, new Dictionary<string, string?>(FastRetries) { ["Processing:AnswerTimeout"] = "00:00:00.500" });
        var backApi = new ApiClient(systemBack);
        await backApi.ApproveAsync((await backApi.WaitForTaskAsync("social-security", caseId)).Id);
        await backApi.ApproveAsync((await backApi.WaitForTaskAsync("medical-insurance", caseId)).Id);

        var completed = await backApi.WaitForCaseAsync(caseId, c => c.Status == "completed", "the case to complete once the system answers");
        Assert.Contains(completed.History, h => h.Type == "task-redispatched" && h.TaskId == housingFundTask && h.Detail!.Contains("not answered"));
        Assert.Equal(1, await systemBack.WithDbAsync(db => db.DepartmentTasks.CountAsync(t => t.CaseId == caseId && t.StepId == "housing-fund")));
        Assert.Equal(1, completed.History.Count(h => h.Type == "task-received" && h.TaskId == housingFundTask));
    }

    [Fact]
    public async Task A_notification_whose_sending_fails_is_retried_until_it_is_delivered()
    {
        var channel = new UnreliableChannel(failures: 2);
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), ThroughTestGateway,
            services: s => s.AddSingleton<INotificationChannel>(channel));
        var api = new ApiClient(host);

        var opened = await ApiClient.CaseOf(await api.ReportWaterAlertAsync(), HttpStatusCode.Created);

        var delivered = await api.WaitForCaseAsync(opened.Id, c => c.Notifications.Single().Delivery == "delivered", "the family notification to arrive");
        var notification = delivered.Notifications.Single();
        Assert.Equal(3, notification.Attempts);
        Assert.Equal(1, channel.Delivered);
        Assert.Equal(3, channel.Attempts);
    }

    [Fact]
    public async Task A_notification_that_keeps_failing_is_marked_failed_and_shown_to_supervisors_masked()
    {
        var channel = new UnreliableChannel(failures: int.MaxValue);
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?>(ThroughTestGateway) { ["Processing:NotificationMaxAttempts"] = "3" },
            services: s => s.AddSingleton<INotificationChannel>(channel));
        var api = new ApiClient(host);

        var opened = await ApiClient.CaseOf(await api.ReportWaterAlertAsync(), HttpStatusCode.Created);

        var failed = await api.WaitForCaseAsync(opened.Id, c => c.Notifications.Single().Delivery == "failed", "the notification to be given up");
        Assert.Equal(3, failed.Notifications.Single().Attempts);
        var listed = await api.As(Staff.Supervisor).GetFromJsonAsync<JsonElement>("/api/supervision/notifications?state=failed");
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(opened.CaseNumber, item.GetProperty("caseNumber").GetString());
        Assert.Equal("135****5678", item.GetProperty("address").GetString());
        Assert.Equal(3, item.GetProperty("attempts").GetInt32());
        Assert.DoesNotContain("13512345678", item.GetProperty("lastError").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.As(Staff.Clerk).GetAsync("/api/supervision/notifications")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.As(Staff.Supervisor).GetAsync("/api/supervision/notifications?state=lost")).StatusCode);
        await Task.Delay(1_000);
        Assert.Equal(3, channel.Attempts);
    }

    [Fact]
    public async Task An_api_node_leaves_the_outbox_to_the_workers()
    {
        var database = await postgres.CreateDatabaseAsync();
        Guid caseId;
        await using (var apiOnly = new OneThingHost(database, new Dictionary<string, string?> { ["Hosting:Role"] = "api" }))
        {
            Assert.Null(apiOnly.Services.GetService<IBus>());
            caseId = (await new ApiClient(apiOnly).FileIdentityChangeAsync()).Id;
            await Task.Delay(1_500);
            Assert.Equal(1, await apiOnly.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.CaseId == caseId && m.PublishedAt == null)));
        }

        await using var everything = new OneThingHost(database);
        var task = await new ApiClient(everything).WaitForTaskAsync("household-registration", caseId);
        Assert.Equal(1, task.DispatchAttempts);
    }

    [Fact]
    public void An_unknown_hosting_role_stops_the_start_with_a_message_naming_the_setting()
    {
        using var host = new OneThingHost("Host=127.0.0.1;Database=unused", new Dictionary<string, string?> { ["Hosting:Role"] = "workers" });

        var error = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.Contains("Hosting__Role", error.ToString());
    }


    /// <summary>Stands in for the SMS gateway, the boundary we do not own: refuses the first sends, as a gateway that is down would.</summary>
    private sealed class UnreliableChannel(int failures) : INotificationChannel
    {
        private int _attempts;
        private int _delivered;

        public string Name => "sms-test";

        public int Attempts => _attempts;

        public int Delivered => _delivered;

        public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _attempts) <= failures)
            {
                throw new HttpRequestException($"gateway refused {notification.Address}");
            }

            Interlocked.Increment(ref _delivered);
            return Task.CompletedTask;
        }
    }
}
