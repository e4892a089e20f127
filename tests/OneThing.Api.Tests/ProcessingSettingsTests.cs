using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>A processing setting that cannot work stops the start with its name, not the bus or a loop later.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ProcessingSettingsTests(PostgresServer postgres)
{
    [Fact]
    public async Task Zero_consumers_a_zero_batch_and_a_zero_wait_stop_the_start_naming_each_setting()
    {
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Processing:ConsumerConcurrency"] = "0",
            ["Processing:OutboxBatchSize"] = "0",
            ["Processing:ResendCheckInterval"] = "00:00:00",
            ["Processing:MessageRetryIntervals:0"] = "00:00:01",
            ["Processing:MessageRetryIntervals:1"] = "-00:00:01",
        });

        var refusal = StartRefusal.Of(Assert.ThrowsAny<Exception>(() => host.CreateClient()));

        Assert.Contains("Processing:ConsumerConcurrency (Processing__ConsumerConcurrency) is 0", refusal);
        Assert.Contains("Processing:OutboxBatchSize (Processing__OutboxBatchSize) is 0", refusal);
        Assert.Contains("Processing:ResendCheckInterval (Processing__ResendCheckInterval) is 00:00:00", refusal);
        Assert.Contains("Processing:MessageRetryIntervals:1 (Processing__MessageRetryIntervals__1) is -00:00:01", refusal);
        Assert.DoesNotContain("MessageRetryIntervals:0", refusal);
    }

    [Fact]
    public async Task A_consumer_limit_of_one_is_a_working_setting()
    {
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Processing:ConsumerConcurrency"] = "1",
        });

        var ready = await host.CreateClient().GetAsync("/health/ready");

        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }
}
