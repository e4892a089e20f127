namespace OneThing.Processing.Observability;

public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>How often the outbox and sweep lag gauges are measured in the database.</summary>
    public TimeSpan LagProbeInterval { get; set; } = TimeSpan.FromSeconds(10);
}
