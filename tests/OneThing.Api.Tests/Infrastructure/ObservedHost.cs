using System.Text.Encodings.Web;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace OneThing.Api.Tests.Infrastructure;

/// <summary>
/// A host whose bus traffic, outbox rows and log file a test can search for text that must not be there. The log is
/// the service's own Serilog file output, its own code at Debug.
/// </summary>
public sealed class ObservedHost : IAsyncDisposable
{
    private readonly string _logFile = Path.Combine(Path.GetTempPath(), $"onething-log-{Guid.NewGuid():N}.txt");
    private bool _stopped;

    private ObservedHost(string connectionString, bool simulateDepartmentSystems)
    {
        Host = new OneThingHost(connectionString,
            new Dictionary<string, string?>
            {
                ["Logging:File"] = _logFile,
                ["Logging:MinimumLevel"] = "Debug",
                ["Processing:SimulateDepartmentSystems"] = simulateDepartmentSystems ? "true" : "false",
            },
            services: s => s.AddSingleton<IReceiveObserver>(Bus));
        Api = new ApiClient(Host);
    }

    public BusRecorder Bus { get; } = new();

    public OneThingHost Host { get; }

    public ApiClient Api { get; }

    public static async Task<ObservedHost> StartAsync(PostgresServer postgres, bool simulateDepartmentSystems = true) =>
        new(await postgres.CreateDatabaseAsync(), simulateDepartmentSystems);

    public Task<IReadOnlyList<JsonElement>> WaitForMessagesAsync(string typeName, int count) =>
        Eventually.MatchAsync(() => Task.FromResult(Bus.MessagesOf(typeName)), messages => messages.Count >= count,
            $"{count} {typeName} messages on the bus");

    /// <summary>None of the texts in any message received on the bus, any outbox row, or the log.</summary>
    public async Task AssertNowhereAsync(params string[] texts)
    {
        var payloads = await Host.WithDbAsync(db => db.OutboxMessages.Select(m => m.Payload).ToListAsync());
        Assert.NotEmpty(payloads);
        Assert.NotEmpty(Bus.Bodies);
        foreach (var json in Bus.Bodies.Concat(payloads))
        {
            var values = StringsIn(JsonDocument.Parse(json).RootElement).ToList();
            foreach (var text in texts)
            {
                Assert.DoesNotContain(values, value => value.Contains(text, StringComparison.Ordinal));
            }
        }

        AssertNotIn(await StopAndReadLogAsync(), texts);
    }

    public async Task<string> StopAndReadLogAsync()
    {
        await StopAsync();
        return await File.ReadAllTextAsync(_logFile);
    }

    // The log file is complete only once the host has stopped and flushed it.
    private async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await Host.DisposeAsync();
        }
    }

    /// <summary>Neither as typed nor as a JSON encoder escapes it (the JSON formatter writes \uXXXX for Chinese).</summary>
    public static void AssertNotIn(string log, params string[] texts)
    {
        foreach (var text in texts)
        {
            Assert.DoesNotContain(text, log);
            Assert.DoesNotContain(JsonSerializer.Serialize(text, new JsonSerializerOptions { Encoder = JavaScriptEncoder.Default }).Trim('"'), log);
        }
    }

    private static IEnumerable<string> StringsIn(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(property => StringsIn(property.Value).Append(property.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(StringsIn),
        _ => [],
    };

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        File.Delete(_logFile);
    }
}
