using System.Diagnostics;
using System.Net;
using System.Text;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Bench.Infrastructure.Processes;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Xunit.Abstractions;

namespace OneThing.Api.Tests.Scaling;

/// <summary>The fixtures the fault tests stand on: a broker, a database and hosts that can each go down and come back.</summary>
[Collection(ScalingCollection.Name)]
public sealed class TestInfrastructureTests(RabbitMqServer broker, ITestOutputHelper output)
{
    [Fact]
    public async Task A_persistent_message_in_a_durable_queue_survives_a_clean_broker_restart_and_nobody_connects_meanwhile()
    {
        var queue = $"restart-{Guid.NewGuid():N}";
        await PublishPersistentAsync(queue, "filed before the restart");
        var portBefore = broker.AmqpPort;

        await RestartBrokerAsync(async () =>
        {
            var stopping = Stopwatch.StartNew();
            await broker.StopAsync();
            output.WriteLine($"Broker stopped in {stopping.Elapsed.TotalSeconds:0.0} s");
            Assert.False(broker.IsRunning);
            await Assert.ThrowsAsync<BrokerUnreachableException>(() => ConnectAsync());
        });

        Assert.Equal(portBefore, broker.AmqpPort);
        Assert.Equal("filed before the restart", await TakeAsync(queue));
    }

    [Fact]
    public async Task A_confirmed_persistent_message_survives_the_broker_being_killed()
    {
        var queue = $"crash-{Guid.NewGuid():N}";
        await PublishPersistentAsync(queue, "confirmed before the crash");
        // Connected clients leave sockets behind on the broker's port, which must not keep it from coming back.
        var connected = await ConnectAsync();

        await RestartBrokerAsync(() =>
        {
            broker.Kill();
            Assert.False(broker.IsRunning);
            return Task.CompletedTask;
        });
        Assert.False(connected.IsOpen);
        connected.Dispose();

        Assert.Equal("confirmed before the crash", await TakeAsync(queue));
    }

    [Fact]
    public async Task An_api_process_is_ready_only_while_its_database_is_up_and_comes_back_on_its_port_after_a_kill()
    {
        var stopwatch = Stopwatch.StartNew();
        await using var database = new RestartablePostgres();
        await database.StartAsync();
        Lap("new PostgreSQL cluster up");
        await using var api = new ServiceProcess("OneThing.Api", new Dictionary<string, string?>
        {
            ["ConnectionStrings__OneThing"] = database.ConnectionString,
            ["Hosting__Role"] = "all",
        });
        using var client = api.CreateClient();

        await ServiceProcess.KeepingLogsOnFailureAsync([api], async () =>
        {
            await api.StartAndWaitUntilReadyAsync();
            Lap("API process ready");
            var port = api.Port;
            var firstProcess = api.ProcessId;

            await database.StopAsync();
            var unready = await Eventually.MatchAsync(
                async () => await ReadinessAsync(client), answer => answer.Status != HttpStatusCode.OK, "/health/ready to fail without the database");
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), unready);
            Lap("PostgreSQL stopped, API unready");

            await database.StartAsync();
            await api.WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
            Lap("PostgreSQL restarted, API ready");

            api.Kill();
            Assert.False(api.IsRunning);
            Assert.False(await api.IsReadyAsync());
            await api.RestartAsync();
            Lap("API killed and restarted, ready");

            Assert.Equal(port, api.Port);
            Assert.NotEqual(firstProcess, api.ProcessId);
            // Degraded (still 200) while the next 60 days reach a year without a holiday calendar.
            var ready = await ReadinessAsync(client);
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            Assert.Matches("^(Healthy|Degraded\ncalendar: Degraded: [^\n]*)$", ready.Body);
        });

        void Lap(string what)
        {
            output.WriteLine($"{what}: {stopwatch.Elapsed.TotalSeconds:0.0} s");
            stopwatch.Restart();
        }
    }

    [Fact]
    public async Task A_process_that_cannot_come_up_fails_the_wait_with_its_exit_code_and_log_and_keeps_the_log()
    {
        // A database that is merely unreachable is waited for at start-up; a wrong setting stops the process at once.
        await using var api = new ServiceProcess("OneThing.Api", new Dictionary<string, string?>
        {
            ["ConnectionStrings__OneThing"] = "Host=127.0.0.1;Username=onething;Database=onething",
            ["Hosting__Role"] = "workers",
        }, name: "api-with-a-wrong-role");

        await api.StartAsync();
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => api.WaitUntilReadyAsync());
        await api.DisposeAsync();

        Assert.Contains("api-with-a-wrong-role", failure.Message);
        Assert.Contains("before it was ready", failure.Message);
        Assert.Contains(api.LogPath, failure.Message);
        Assert.Contains("Hosting__Role is 'workers'", failure.Message);
        Assert.True(File.Exists(api.LogPath));
        api.DeleteLog();
    }

    private async Task RestartBrokerAsync(Func<Task> takeDown)
    {
        try
        {
            await takeDown();
        }
        finally
        {
            // Whatever happened above, the other tests of the collection need the broker back.
            if (!broker.IsRunning)
            {
                await broker.StartAsync();
                output.WriteLine($"Broker starts so far: {string.Join(", ", broker.StartDurations.Select(d => $"{d.TotalSeconds:0.0} s"))}");
            }
        }
    }

    private Task<IConnection> ConnectAsync() =>
        new ConnectionFactory { Uri = broker.AmqpUri, AutomaticRecoveryEnabled = false, RequestedConnectionTimeout = TimeSpan.FromSeconds(2) }
            .CreateConnectionAsync();

    private async Task PublishPersistentAsync(string queue, string text)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        // With confirmation tracking the call returns once the broker has the message on disk.
        await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes(text));
        // The confirm covers the message, not the queue's own record in the broker's metadata store: a kill moments after
        // the declaration lost the queue itself once in CI. A queue in service has long been on disk, so give this one time.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    private async Task<string?> TakeAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        // Right after a start the broker may still be recovering durable queues: a queue it does not know yet answers
        // 404 for a moment. One that stays unknown was lost, and the test fails.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                var message = await channel.BasicGetAsync(queue, autoAck: true);
                await channel.QueueDeleteAsync(queue);
                return message is null ? null : Encoding.UTF8.GetString(message.Body.Span);
            }
            catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health/ready");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
