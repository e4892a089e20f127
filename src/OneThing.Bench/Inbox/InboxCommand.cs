using System.CommandLine;
using OneThing.Bench.Infrastructure;

namespace OneThing.Bench.Inbox;

public static class InboxCommand
{
    public static Command Create()
    {
        var openTasks = new Option<int>("--open-tasks")
        {
            Description = "Open tasks loaded into one department's inbox",
            DefaultValueFactory = _ => 100_000,
        };
        var repetitions = new Option<int>("--repetitions") { Description = "Requests per kind of page (after 3 unmeasured)", DefaultValueFactory = _ => 30 };
        var keep = new Option<bool>("--keep") { Description = "Keep the database instead of dropping it" };
        var connection = BenchOptions.Connection();
        var markdown = BenchOptions.Markdown();
        BenchOptions.AtLeast(openTasks, InboxBenchmark.PageSize * 2);
        BenchOptions.AtLeast(repetitions, 1);

        var command = new Command("inbox", "Time a department's inbox pages over HTTP with many open tasks, beside pgbench reading the same rows")
        {
            openTasks, repetitions, connection, markdown, keep,
        };
        command.SetAction((parse, cancellationToken) => new InboxBenchmark(new InboxSettings(
            parse.GetValue(openTasks), parse.GetValue(repetitions), parse.GetValue(connection), parse.GetValue(markdown),
            parse.GetValue(keep))).RunAsync(cancellationToken));
        return command;
    }
}
