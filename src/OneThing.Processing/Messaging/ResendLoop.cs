using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OneThing.Processing.Messaging;

/// <summary>
/// Asks again, every <see cref="ProcessingOptions.ResendCheckInterval"/>, for what was not acknowledged, answered or
/// delivered; what a pass writes to the outbox is relayed at once. A failed pass is logged and tried at the next tick.
/// </summary>
public abstract class ResendLoop(OutboxSignal outbox, TimeProvider clock, IOptions<ProcessingOptions> options, ILogger logger)
    : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected ProcessingOptions Options => options.Value;

    protected ILogger Logger => logger;

    /// <summary>One pass; returns how many messages it wrote to the outbox.</summary>
    public abstract Task<int> ResendAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ResendCheckInterval, clock);
        do
        {
            try
            {
                if (await ResendAsync(stoppingToken) > 0)
                {
                    outbox.Notify();
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "{ResendPass} failed; trying again at the next check", GetType().Name);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
