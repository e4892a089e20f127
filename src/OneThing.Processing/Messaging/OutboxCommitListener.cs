using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OneThing.Processing.Messaging;

/// <summary>
/// Wakes this process's relay when any process commits outbox rows (a trigger on outbox_messages notifies
/// <see cref="Channel"/>), so work filed on an API node reaches the departments without waiting for a poll.
/// </summary>
public sealed class OutboxCommitListener(NpgsqlDataSource dataSource, OutboxSignal signal, ILogger<OutboxCommitListener> logger)
    : BackgroundService
{
    public const string Channel = "onething_outbox";

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning("Listening for outbox commits failed ({Error}); the relay polls meanwhile", ex.Message);
                try
                {
                    await Task.Delay(ReconnectDelay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, _) => signal.Notify();
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Rows committed while nobody listened are relayed now rather than at the next poll.
        signal.Notify();
        while (!stoppingToken.IsCancellationRequested)
        {
            // A timeout now and then notices a connection that died silently.
            if (!await connection.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
    }
}
