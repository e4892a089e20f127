using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;

namespace OneThing.Api.Tests.Infrastructure;

/// <summary>
/// Keeps the body of every message the host's endpoints receive, as the transport carried it (the serialized
/// envelope), so a test can read what actually travelled on the bus. Register it with
/// <c>services.AddSingleton&lt;IReceiveObserver&gt;(recorder)</c>.
/// </summary>
public sealed class BusRecorder : IReceiveObserver
{
    private readonly ConcurrentQueue<string> _bodies = new();

    public IReadOnlyList<string> Bodies => _bodies.ToArray();

    /// <summary>The body ("message" field) of each received envelope of the given contract type.</summary>
    public IReadOnlyList<JsonElement> MessagesOf(string typeName) => Bodies
        .Select(body => JsonDocument.Parse(body).RootElement)
        .Where(envelope => envelope.GetProperty("messageType")[0].GetString() == $"urn:message:OneThing.Contracts:{typeName}")
        .Select(envelope => envelope.GetProperty("message").Clone())
        .ToList();

    public Task PreReceive(ReceiveContext context)
    {
        _bodies.Enqueue(context.Body.GetString());
        return Task.CompletedTask;
    }

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
        Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
}
