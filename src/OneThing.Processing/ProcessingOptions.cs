namespace OneThing.Processing;

public sealed class ProcessingOptions
{
    public const string Section = "Processing";

    public bool OutboxRelayEnabled { get; set; } = true;

    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int OutboxBatchSize { get; set; } = 100;

    /// <summary>A task no department has acknowledged after this long is sent again.</summary>
    public TimeSpan AcknowledgeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan ResendCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Off only to simulate departments that never answer.</summary>
    public bool DepartmentConsumersEnabled { get; set; } = true;
}
