using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OneThing.Processing.Observability;

/// <summary>
/// Measures, every <see cref="TelemetryOptions.LagProbeInterval"/>, how far the outbox relay and the deadline sweep
/// are behind, for the <c>onething.outbox.lag</c> and <c>onething.sweep.lag</c> gauges. A scrape reads the last
/// measurement and never waits for the database; a stuck relay or sweeper shows as a lag that keeps growing.
/// </summary>
internal sealed class LagProbe(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<TelemetryOptions> options, ILogger<LagProbe> logger)
    : BackgroundService
{
    // The same rows the relay and the sweeper would take next (OutboxRelay's batch, DeadlineSweeper.DueTimersSql), on
    // the same partial indexes.
    private const string OldestWaitingSql = """
        SELECT (SELECT created_at FROM outbox_messages WHERE published_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT 1),
               (SELECT due_at FROM timers WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1 AND failed_at IS NULL
                  AND (next_attempt_at IS NULL OR next_attempt_at <= $1) ORDER BY due_at LIMIT 1)
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ProbeAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database being away is reported by /health/ready; the gauges keep their last value meanwhile.
                logger.LogDebug("Lag probe failed: {ExceptionType}", ex.GetType().Name);
            }

            await Task.Delay(options.Value.LagProbeInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(OldestWaitingSql);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var oldestUnpublished = reader.IsDBNull(0) ? now : reader.GetFieldValue<DateTimeOffset>(0);
        var mostOverdue = reader.IsDBNull(1) ? now : reader.GetFieldValue<DateTimeOffset>(1);
        DomainMetrics.ReportLags(now - oldestUnpublished, now - mostOverdue);
    }
}
