namespace OneThing.Processing;

public sealed class ProcessingOptions
{
    public const string Section = "Processing";

    public bool OutboxRelayEnabled { get; set; } = true;

    /// <summary>How often the relay looks for rows when no commit woke it (a missed notification, a lost connection).</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>A task no department has acknowledged after this long is sent again.</summary>
    public TimeSpan AcknowledgeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An automated task its department system acknowledged but did not answer after this long is asked again.</summary>
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan ResendCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A notification not delivered this long after it was asked for is asked for again.</summary>
    public TimeSpan RedeliveryTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The wait after the first failed delivery; it doubles with each further failure, up to ten minutes.</summary>
    public TimeSpan NotificationRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this many failed deliveries a notification is marked failed, for supervisors to follow up.</summary>
    public int NotificationMaxAttempts { get; set; } = 8;

    /// <summary>
    /// The waits between in-process retries of a message whose handling failed; after the last one it goes to its
    /// queue's <c>_error</c> queue, logged with its message id (MassTransit's R-FAULT line). Unset: 0.2 s, 1 s, 5 s, 15 s.
    /// </summary>
    public TimeSpan[]? MessageRetryIntervals { get; set; }

    public static readonly TimeSpan[] DefaultMessageRetryIntervals =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)];

    /// <summary>
    /// How many messages each department inbox queue and the case engine's queue handle at once. A message's handling
    /// is mostly a wait for its commit and cases lock one by one, so more than the cores: with MassTransit's default
    /// (the core count) tasks queued behind a burst of filings and reached the inbox a second late.
    /// </summary>
    public int ConsumerConcurrency { get; set; } = 16;

    /// <summary>Off only to simulate departments that never answer.</summary>
    public bool DepartmentConsumersEnabled { get; set; } = true;

    /// <summary>
    /// Whether this process plays the department systems of automated steps itself. Unset: yes on the in-memory bus,
    /// no on RabbitMQ, where the department adapter (or the department's real system) answers.
    /// </summary>
    public bool? SimulateDepartmentSystems { get; set; }
}
