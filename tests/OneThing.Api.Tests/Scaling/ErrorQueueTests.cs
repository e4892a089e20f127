using System.Text;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Bench.Infrastructure.Processes;
using RabbitMQ.Client;

namespace OneThing.Api.Tests.Scaling;

/// <summary>A message that cannot be handled is retried, then kept in its queue's _error queue and logged by its id: never dropped.</summary>
[Collection(ScalingCollection.Name)]
public sealed class ErrorQueueTests(RabbitMqServer broker)
{
    [Fact]
    public async Task An_answer_that_keeps_failing_lands_in_the_error_queue_and_the_worker_logs_its_message_id()
    {
        await using var database = new RestartablePostgres();
        await database.StartAsync();
        await using var worker = new ServiceProcess("OneThing.Worker", new Dictionary<string, string?>
        {
            ["ConnectionStrings__OneThing"] = database.ConnectionString,
            ["ConnectionStrings__RabbitMq"] = broker.AmqpUri.ToString(),
            ["Processing__MessageRetryIntervals__0"] = "00:00:00.100",
            ["Processing__MessageRetryIntervals__1"] = "00:00:00.100",
            ["MASSTRANSIT_USAGE_TELEMETRY"] = "false",
        }, "worker-poison");

        await ServiceProcess.KeepingLogsOnFailureAsync([worker], async () =>
        {
            await worker.StartAndWaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            var messageId = Guid.NewGuid();
            await using var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            await PurgeErrorQueueAsync(channel);

            // A department system's answer whose task id is not a uuid: it can never be applied.
            var envelope = JsonSerializer.Serialize(new
            {
                messageId,
                messageType = new[] { "urn:message:OneThing.Contracts:DepartmentTaskCompleted" },
                message = new
                {
                    taskId = "not-a-task", caseId = Guid.NewGuid(), stepId = "housing-fund", department = "housing-fund",
                    comment = (string?)null, completedAt = "2026-12-01T10:00:00+08:00",
                },
            });
            await channel.BasicPublishAsync("case-engine", "", mandatory: false,
                new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = messageId.ToString() },
                Encoding.UTF8.GetBytes(envelope));

            var inError = await Eventually.MatchAsync(async () => (await channel.QueueDeclarePassiveAsync("case-engine_error")).MessageCount,
                count => count > 0, "the message to reach case-engine_error", TimeSpan.FromSeconds(30));
            Assert.Equal(1u, inError);
            var kept = await channel.BasicGetAsync("case-engine_error", autoAck: true);
            Assert.Contains(messageId.ToString(), Encoding.UTF8.GetString(kept!.Body.Span));
            var log = await Eventually.MatchAsync(() => Task.FromResult(File.ReadAllText(worker.LogPath)),
                text => text.Contains(messageId.ToString()), "the worker to log the failed message's id", TimeSpan.FromSeconds(10));
            Assert.Contains("R-FAULT", log);
            Assert.True(await worker.IsReadyAsync(), "one bad message must not take the worker down");
        });
    }

    private static async Task PurgeErrorQueueAsync(IChannel channel)
    {
        await channel.QueueDeclareAsync("case-engine_error", durable: true, exclusive: false, autoDelete: false);
        await channel.QueuePurgeAsync("case-engine_error");
    }
}
