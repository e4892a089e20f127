using System.CommandLine;
using OneThing.Bench.Infrastructure;

namespace OneThing.Bench.Filing;

public static class FilingCommand
{
    public static Command Create()
    {
        var cases = new Option<int>("--cases") { Description = "Cases filed per round", DefaultValueFactory = _ => 400 };
        var concurrency = new Option<int>("--concurrency") { Description = "Clients filing at once", DefaultValueFactory = _ => 8 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds per bus mode, alternating with pgbench", DefaultValueFactory = _ => 3 };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Unmeasured cases filed first, per bus mode: enough for the runtime to finish compiling the hot code with its optimising tier",
            DefaultValueFactory = _ => 2000,
        };
        var url = new Option<Uri?>("--url")
        {
            Description = "A running OneThing API to file with, instead of the bus modes (it must seed the demo accounts)",
        };
        var buses = BenchOptions.Buses();
        var workers = BenchOptions.Workers();
        var connection = BenchOptions.Connection();
        var markdown = BenchOptions.Markdown();
        BenchOptions.AtLeast(cases, 1);
        BenchOptions.AtLeast(concurrency, 1);
        BenchOptions.AtLeast(rounds, 1);
        BenchOptions.AtLeast(warmup, 1);

        var command = new Command("filing", "File cases over HTTP and time them to the department inbox, beside pgbench writing the same rows")
        {
            cases, concurrency, rounds, warmup, buses, workers, url, connection, markdown,
        };
        command.SetAction((parse, cancellationToken) => new FilingBenchmark(new FilingSettings(
            parse.GetValue(cases),
            parse.GetValue(concurrency),
            parse.GetValue(rounds),
            parse.GetValue(warmup),
            BenchOptions.Modes(parse, buses, workers, parse.GetValue(url)),
            parse.GetValue(connection),
            parse.GetValue(markdown))).RunAsync(cancellationToken));
        return command;
    }
}
