using System.CommandLine;
using OneThing.Bench.Infrastructure;

namespace OneThing.Bench.FullRun;

public static class FullRunCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output")
        {
            Description = "The document to write; the charts go to a folder named after it (docs/benchmarks/)",
            DefaultValueFactory = _ => Path.Combine("docs", "benchmarks.md"),
        };
        var quick = new Option<bool>("--quick")
        {
            Description = "Small sizes (10,000 open tasks, 100 cases per round, in-memory bus only) to check the run end to end",
        };
        var buses = BenchOptions.Buses();
        var workers = BenchOptions.Workers();
        var connection = BenchOptions.Connection();
        var command = new Command("all",
            "Every benchmark in one run on one PostgreSQL cluster — sweep, filing, lifecycle, inbox — written as one document with charts")
        {
            output, quick, buses, workers, connection,
        };
        command.SetAction((parse, cancellationToken) => new FullRunBenchmark(
            parse.GetValue(output)!, parse.GetValue(quick), BenchOptions.Modes(parse, buses, workers, url: null),
            parse.GetValue(connection)).RunAsync(cancellationToken));
        return command;
    }
}
