using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OneThing.Telemetry;

/// <summary>
/// OneThing's own ActivitySource and Meter, both named "OneThing". Static, like MassTransit's and Npgsql's: a process
/// has one of each, and every host's provider listens to it by name.
/// </summary>
public static class OneThingTelemetry
{
    public const string Name = "OneThing";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);
}
