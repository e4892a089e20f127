using Microsoft.Extensions.Options;
using OneThing.Processing.Hosting;

namespace OneThing.Processing;

/// <summary>
/// Refuses, at start-up, processing settings that would otherwise surface later and elsewhere: a consumer limit of 0
/// stops MassTransit's bus with an error about its own configuration, a batch of 0 leaves the outbox undelivered, a
/// wait of zero or less turns the resend and retry loops into busy loops.
/// </summary>
internal sealed class ProcessingOptionsValidator : IValidateOptions<ProcessingOptions>
{
    /// <summary>For settings read while the host is being built (the bus is configured from them before options are validated).</summary>
    public static ProcessingOptions EnsureValid(ProcessingOptions options)
    {
        var result = new ProcessingOptionsValidator().Validate(Options.DefaultName, options);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(ProcessingOptions), result.Failures) : options;
    }

    public ValidateOptionsResult Validate(string? name, ProcessingOptions options)
    {
        var errors = new List<string>();
        AtLeastOne(options.ConsumerConcurrency, nameof(ProcessingOptions.ConsumerConcurrency), "the messages each queue handles at once", errors);
        AtLeastOne(options.OutboxBatchSize, nameof(ProcessingOptions.OutboxBatchSize), "the outbox rows the relay sends per batch", errors);
        AtLeastOne(options.NotificationMaxAttempts, nameof(ProcessingOptions.NotificationMaxAttempts), "the deliveries tried before a notification fails", errors);
        Positive(options.OutboxPollInterval, nameof(ProcessingOptions.OutboxPollInterval), errors);
        Positive(options.AcknowledgeTimeout, nameof(ProcessingOptions.AcknowledgeTimeout), errors);
        Positive(options.AnswerTimeout, nameof(ProcessingOptions.AnswerTimeout), errors);
        Positive(options.ResendCheckInterval, nameof(ProcessingOptions.ResendCheckInterval), errors);
        Positive(options.RedeliveryTimeout, nameof(ProcessingOptions.RedeliveryTimeout), errors);
        Positive(options.NotificationRetryDelay, nameof(ProcessingOptions.NotificationRetryDelay), errors);
        var retries = options.MessageRetryIntervals ?? [];
        for (var i = 0; i < retries.Length; i++)
        {
            if (retries[i] < TimeSpan.Zero)
            {
                errors.Add($"{Setting($"{nameof(ProcessingOptions.MessageRetryIntervals)}:{i}")} is {retries[i]}; a wait before a retry cannot be negative.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void AtLeastOne(int value, string setting, string meaning, List<string> errors)
    {
        if (value < 1)
        {
            errors.Add($"{Setting(setting)} is {value}; it is {meaning} and must be at least 1.");
        }
    }

    private static void Positive(TimeSpan value, string setting, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{Setting(setting)} is {value}; it must be longer than zero (e.g. 00:00:05 for five seconds).");
        }
    }

    private static string Setting(string path) => SettingName.Of(ProcessingOptions.Section, path);
}
