using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OneThing.Contracts;
using OneThing.Processing.Observability;
using OneThing.Processing.Persistence;
using OneThing.Telemetry;

namespace OneThing.Processing.Messaging;

/// <summary>
/// Publishes committed outbox rows to the bus. Rows are claimed with SKIP LOCKED so several hosts can relay side by
/// side; a crash after sending but before marking means the message goes again, which every consumer tolerates.
/// </summary>
public sealed class OutboxRelay(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    TimeProvider clock,
    IOptions<ProcessingOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly Dictionary<string, Type> MessageTypes = typeof(RequestDepartmentTask).Assembly.GetTypes()
        .Where(t => t.IsPublic && t.Namespace == typeof(RequestDepartmentTask).Namespace)
        .ToDictionary(t => t.Name);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RelayBatchAsync(stoppingToken) == options.Value.OutboxBatchSize)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Outbox relay failed; retrying after the poll interval");
            }

            try
            {
                await signal.WaitAsync(options.Value.OutboxPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The oldest unsent rows no other host is relaying; compiled and tagged, so EF generates its SQL once.</summary>
    private static readonly Func<OneThingDbContext, int, IAsyncEnumerable<OutboxMessage>> ClaimBatch =
        EF.CompileAsyncQuery((OneThingDbContext db, int size) => db.OutboxMessages.TagWith(RowLocks.SkipLocked)
            .Where(row => row.PublishedAt == null && row.SetAsideAt == null)
            .OrderBy(row => row.Id)
            .Take(size));

    /// <summary>How long a batch may wait for the broker before it is rolled back and tried again.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    private async Task SendAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        using var _ = logger.BeginScope(new Dictionary<string, object?> { ["CaseId"] = row.CaseId, ["MessageId"] = row.MessageId });
        if (Unpublishable(row, out var type, out var message) is { } reason)
        {
            // Sending it again can never succeed; holding it would stall every row behind it on every relay.
            row.SetAsideAt = clock.GetUtcNow();
            row.SetAsideReason = reason;
            logger.LogError("Outbox row {OutboxId} ({MessageType}) set aside: {Reason}", row.Id, row.MessageType, reason);
            return;
        }

        // The message continues the trace of the work that wrote the row; MassTransit's send span, and the consumer's
        // on the other side of the broker, hang under this one.
        using var relayed = OneThingTelemetry.Source.StartActivity("outbox relay", ActivityKind.Internal, OutboxTraceContext.ParentOf(row));
        relayed?.SetTag("onething.message_type", row.MessageType);
        if (row.Destination is { } queue)
        {
            var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
            await endpoint.Send(message, type, context => context.MessageId = row.MessageId, cancellationToken);
        }
        else
        {
            await bus.Publish(message, type, context => context.MessageId = row.MessageId, cancellationToken);
        }

        row.PublishedAt = clock.GetUtcNow();
        logger.LogDebug("Relayed {MessageType} to {Destination}", row.MessageType, row.Destination ?? "subscribers");
    }

    /// <summary>Why the row can never become a message, or null when it can.</summary>
    private static string? Unpublishable(OutboxMessage row, out Type type, out object message)
    {
        message = null!;
        if (!MessageTypes.TryGetValue(row.MessageType, out type!))
        {
            return $"unknown message type '{Truncate(row.MessageType)}'";
        }

        try
        {
            message = JsonSerializer.Deserialize(row.Payload, type, OneThingJson.Options)!;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            // The exception's own text may quote the payload, which can hold personal data: keep only its kind and place.
            return ex is JsonException { Path: { } path } ? $"payload is not a {type.Name}: {ex.GetType().Name} at {Truncate(path)}" : $"payload is not a {type.Name}: {ex.GetType().Name}";
        }

        return message is null ? $"payload is not a {type.Name}: null" : null;
    }

    private static string Truncate(string text) => text.Length <= 100 ? text : text[..100];

    private async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        // A failed save rolls the batch back, so EF's savepoint around it (two more statements) would guard nothing.
        db.Database.AutoSavepointsEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var batch = new List<OutboxMessage>();
        await foreach (var row in ClaimBatch(db, options.Value.OutboxBatchSize).WithCancellation(cancellationToken))
        {
            batch.Add(row);
        }

        // Sent side by side: with a broker each send waits for its confirmation. A failure rolls the batch back and
        // all of it goes again, which every consumer tolerates.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        await Task.WhenAll(batch.Select(row => SendAsync(row, timeout.Token)));
        await db.SaveAndCommitAsync(transaction, cancellationToken);
        return batch.Count;
    }
}
