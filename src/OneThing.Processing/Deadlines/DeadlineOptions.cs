namespace OneThing.Processing.Deadlines;

public sealed class DeadlineOptions
{
    public const string Section = "Deadlines";

    /// <summary>Share of the SLA after which a task turns yellow.</summary>
    public double WarningShare { get; set; } = 0.8;

    /// <summary>Who is told, at which share of the SLA, once a deadline is missed (default: department head at breach, supervisor at 150%).</summary>
    public List<EscalationStep> Escalations { get; set; } = [];

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int SweepBatchSize { get; set; } = 100;

    public string? CalendarDirectory { get; set; }

    /// <summary>How many times a timer whose firing throws is tried before it is marked failed.</summary>
    public int TimerMaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second try; it doubles with each failure, up to <see cref="TimerRetryMaxDelay"/>.</summary>
    public TimeSpan TimerRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan TimerRetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    public IReadOnlyList<EscalationStep> EffectiveEscalations =>
        Escalations.Count > 0 ? Escalations : [new EscalationStep(1.0, "department-head"), new EscalationStep(1.5, "supervisor")];
}

public sealed record EscalationStep(double Share, string To)
{
    public EscalationStep() : this(1.0, "department-head")
    {
    }
}
