using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace OneThing.Processing.Notifications;

/// <summary>
/// One delivery attempt through one channel: a few quick tries with back-off (a dropped connection, a 502 from a
/// robot) before the attempt counts as failed and the durable retry (<see cref="NotificationConsumer"/>) takes over.
/// A permanent refusal is not tried again. The waits are real time, not the business clock: they wait for a network.
/// </summary>
public sealed class NotificationSending
{
    private readonly ResiliencePipeline _pipeline;

    public NotificationSending(IOptions<NotificationOptions> options, ILogger<NotificationSending> logger)
    {
        var settings = options.Value;
        var builder = new ResiliencePipelineBuilder();
        if (settings.SendRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.SendRetries,
                Delay = settings.SendRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<Exception>(error => error is not (PermanentNotificationFailure or OperationCanceledException)),
                OnRetry = retry =>
                {
                    var (channel, notification) = retry.Context.Properties.GetValue(Sending, default);
                    logger.LogWarning("Notification {NotificationId} through {Channel}: try {Try} failed ({Error}); trying again in {Delay} ms",
                        notification?.Id, channel, retry.AttemptNumber + 1,
                        retry.Outcome.Exception is { } error && notification is not null ? DeliveryErrorText.Describe(error, notification) : "no exception",
                        (int)retry.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder.AddTimeout(settings.SendTimeout).Build();
    }

    private static readonly ResiliencePropertyKey<(string Channel, OutgoingNotification? Notification)> Sending = new("onething.notification");

    public async Task SendAsync(INotificationChannel channel, OutgoingNotification notification, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Sending, (channel.Name, notification));
        try
        {
            await _pipeline.ExecuteAsync(
                static async (context, state) => await state.channel.SendAsync(state.notification, context.CancellationToken),
                context, (channel, notification));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
