using System.CommandLine;
using OneThing.Bench.Infrastructure;

namespace OneThing.Bench.Lifecycle;

public static class LifecycleCommand
{
    public static Command Create()
    {
        var cases = new Option<int>("--cases") { Description = "Cases taken from filing to completed per round", DefaultValueFactory = _ => 300 };
        var clerks = new Option<int>("--clerks") { Description = "Clerks filing at once", DefaultValueFactory = _ => 4 };
        var approvers = new Option<int>("--approvers")
        {
            Description = "Approvals each department's reviewer sends at once (pgbench runs with 3 × as many clients)",
            DefaultValueFactory = _ => 2,
        };
        var rounds = new Option<int>("--rounds") { Description = "Rounds per bus mode, alternating with pgbench", DefaultValueFactory = _ => 1 };
        var warmup = new Option<int>("--warmup")
        {
            Description = "Unmeasured cases taken to completed first, per bus mode: enough for the runtime to finish compiling the hot code with its optimising tier",
            DefaultValueFactory = _ => 200,
        };
        var url = new Option<Uri?>("--url")
        {
            Description = "A running OneThing API (its workers and adapter beside it) instead of the bus modes; it must seed the demo accounts",
        };
        var buses = BenchOptions.Buses();
        var workers = BenchOptions.Workers();
        var connection = BenchOptions.Connection();
        var markdown = BenchOptions.Markdown();
        BenchOptions.AtLeast(cases, 1);
        BenchOptions.AtLeast(clerks, 1);
        BenchOptions.AtLeast(approvers, 1);
        BenchOptions.AtLeast(rounds, 1);
        BenchOptions.AtLeast(warmup, 1);

        var command = new Command("lifecycle",
            "Take cases from filing to completed (clerks filing, reviewers approving from their inboxes), beside pgbench writing a decision's rows")
        {
            cases, clerks, approvers, rounds, warmup, buses, workers, url, connection, markdown,
        };
        command.SetAction((parse, cancellationToken) => new LifecycleBenchmark(new LifecycleSettings(
            new LifecycleShape(parse.GetValue(cases), parse.GetValue(clerks), parse.GetValue(approvers)),
            parse.GetValue(rounds),
            parse.GetValue(warmup),
            BenchOptions.Modes(parse, buses, workers, parse.GetValue(url)),
            parse.GetValue(connection),
            parse.GetValue(markdown))).RunAsync(cancellationToken));
        return command;
    }
}
