using System.Diagnostics.Metrics;
using OneThing.Telemetry;

namespace OneThing.Processing.Observability;

/// <summary>
/// What operators watch, on the "OneThing" meter. Labels are few and bounded (workflow, department, decision, timer
/// kind): never a case number, a name or anything typed into a form.
/// </summary>
public static class DomainMetrics
{
    public const string Workflow = "workflow";
    public const string Department = "department";
    public const string Decision = "decision";
    public const string TimerKind = "kind";

    public static readonly Counter<long> CasesFiled = OneThingTelemetry.Meter.CreateCounter<long>(
        "onething.cases.filed", "{case}", "Cases filed at a window or opened by an incident report, by workflow.");

    public static readonly Counter<long> TasksOpened = OneThingTelemetry.Meter.CreateCounter<long>(
        "onething.tasks.opened", "{task}", "Department tasks dispatched, by department.");

    public static readonly Counter<long> TasksDecided = OneThingTelemetry.Meter.CreateCounter<long>(
        "onething.tasks.decided", "{task}", "Department tasks approved or rejected, by department and decision.");

    public static readonly Counter<long> TaskBreaches = OneThingTelemetry.Meter.CreateCounter<long>(
        "onething.tasks.breached", "{task}", "Department tasks that missed their deadline, by department.");

    public static readonly Counter<long> CaseBreaches = OneThingTelemetry.Meter.CreateCounter<long>(
        "onething.cases.breached", "{case}", "Cases that missed their overall deadline, by workflow.");

    public static readonly Histogram<double> OutboxDelay = OneThingTelemetry.Meter.CreateHistogram<double>(
        "onething.outbox.delay", "s", "From an outbox row's commit to its publication on the bus.");

    public static readonly Histogram<double> SweepDelay = OneThingTelemetry.Meter.CreateHistogram<double>(
        "onething.sweep.delay", "s", "How late a due timer (warning, breach, escalation, wait) fired, by kind.");

    private static double _outboxLag = double.NaN;
    private static double _sweepLag = double.NaN;

    static DomainMetrics()
    {
        OneThingTelemetry.Meter.CreateObservableGauge("onething.outbox.lag", () => Observe(ref _outboxLag), "s",
            "Age of the oldest outbox row not yet published (0 when none waits).");
        OneThingTelemetry.Meter.CreateObservableGauge("onething.sweep.lag", () => Observe(ref _sweepLag), "s",
            "How long the most overdue timer has been due without firing (0 when none is).");
    }

    /// <summary>Called by <see cref="LagProbe"/>; until a probe reports, the gauges report nothing rather than a made-up 0.</summary>
    public static void ReportLags(TimeSpan outboxLag, TimeSpan sweepLag)
    {
        Volatile.Write(ref _outboxLag, Math.Max(0, outboxLag.TotalSeconds));
        Volatile.Write(ref _sweepLag, Math.Max(0, sweepLag.TotalSeconds));
    }

    private static IEnumerable<Measurement<double>> Observe(ref double lag) =>
        Volatile.Read(ref lag) is var seconds && double.IsNaN(seconds) ? [] : [new Measurement<double>(seconds)];
}
