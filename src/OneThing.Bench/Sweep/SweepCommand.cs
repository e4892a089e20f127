using System.CommandLine;
using OneThing.Bench.Infrastructure;

namespace OneThing.Bench.Sweep;

public static class SweepCommand
{
    public static Command Create()
    {
        var openTasks = new Option<int[]>("--open-tasks")
        {
            Description = "Open tasks to load (one or more sizes)",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [1_000_000],
        };
        var baseline = new Option<int>("--baseline")
        {
            Description = "Also measure this many open tasks, side by side (0: only --open-tasks)",
            DefaultValueFactory = _ => 10_000,
        };
        var due = new Option<int>("--due") { Description = "Timers due now, fired by each sweep", DefaultValueFactory = _ => 100 };
        var repetitions = new Option<int>("--repetitions") { Description = "Measured sweeps per size", DefaultValueFactory = _ => 7 };
        var warmUp = new Option<int>("--warmup")
        {
            Description = "Unmeasured sweeps after the first, so the measured ones run the runtime's optimised code, as a service that has run a while does",
            DefaultValueFactory = _ => 30,
        };
        var keep = new Option<bool>("--keep") { Description = "Keep the databases instead of dropping them" };
        var connection = BenchOptions.Connection();
        var markdown = BenchOptions.Markdown();
        BenchOptions.AtLeast(due, 1);
        BenchOptions.AtLeast(repetitions, 1);
        BenchOptions.AtLeast(baseline, 0);
        BenchOptions.AtLeast(warmUp, 0);

        var command = new Command("sweep", "Time one deadline sweep with few and with many open tasks, beside pgbench")
        {
            openTasks, baseline, due, repetitions, warmUp, connection, markdown, keep,
        };
        command.Validators.Add(result =>
        {
            var sizes = result.GetValue(openTasks) ?? [];
            if (sizes.Length == 0 || sizes.Any(size => size < result.GetValue(due)))
            {
                result.AddError("--open-tasks needs one or more sizes, each at least --due.");
            }
        });
        command.SetAction((parse, cancellationToken) =>
        {
            var sizes = parse.GetValue(openTasks)!.Append(parse.GetValue(baseline)).Where(size => size > 0).Distinct().Order().ToList();
            var settings = new SweepSettings(sizes, parse.GetValue(due), parse.GetValue(repetitions), parse.GetValue(warmUp), parse.GetValue(connection),
                parse.GetValue(markdown), parse.GetValue(keep));
            return new SweepBenchmark(settings).RunAsync(cancellationToken);
        });
        return command;
    }
}
