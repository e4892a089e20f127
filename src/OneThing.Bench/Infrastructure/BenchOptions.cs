using System.CommandLine;
using System.CommandLine.Parsing;
using OneThing.Bench.Hosts;

namespace OneThing.Bench.Infrastructure;

/// <summary>Options every benchmark takes.</summary>
public static class BenchOptions
{
    public static Option<string?> Connection() => new("--connection")
    {
        Description = "An existing PostgreSQL server to make throwaway databases on (its user needs CREATEDB); " +
                      "default: a private cluster from the installed PostgreSQL binaries, deleted afterwards",
    };

    public static Option<string?> Markdown() => new("--markdown")
    {
        Description = "Also write the results as Markdown to this file (as pasted into docs/benchmarks.md)",
    };

    public static Option<string[]> Buses() => new("--bus")
    {
        Description = $"Buses to measure, one after another in one run: {string.Join(", ", BusMode.Transports)} (comma-separated)",
        DefaultValueFactory = _ => BusMode.Transports,
        AllowMultipleArgumentsPerToken = true,
        Validators = { result => CheckEach(result, value => BusMode.Transports.Contains(value) ? null : $"--bus: '{value}' is not one of {string.Join(", ", BusMode.Transports)}.") },
    };

    public static Option<string[]> Workers() => new("--workers")
    {
        Description = "Worker processes beside the API on RabbitMQ, one measurement each (comma-separated)",
        DefaultValueFactory = _ => ["1", "2"],
        AllowMultipleArgumentsPerToken = true,
        Validators = { result => CheckEach(result, value => int.TryParse(value, out var count) && count >= 1 ? null : $"--workers: '{value}' is not a whole number of at least 1.") },
    };

    /// <summary>The deployments to measure, in order: a URL alone when one is given, else every bus with every worker count.</summary>
    public static IReadOnlyList<BusMode> Modes(ParseResult parse, Option<string[]> buses, Option<string[]> workers, Uri? url) =>
        url is not null
            ? [BusMode.At(url)]
            : BusMode.Combine(Split(parse.GetValue(buses)), Split(parse.GetValue(workers)).Select(int.Parse));

    public static void AtLeast(Option<int> option, int minimum) =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum}.");
            }
        });

    private static IEnumerable<string> Split(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static void CheckEach(OptionResult result, Func<string, string?> problem)
    {
        foreach (var error in Split(result.GetValueOrDefault<string[]>()).Select(problem).OfType<string>())
        {
            result.AddError(error);
        }
    }
}
