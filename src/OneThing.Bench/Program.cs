using System.CommandLine;
using OneThing.Bench.Filing;
using OneThing.Bench.FullRun;
using OneThing.Bench.Inbox;
using OneThing.Bench.Lifecycle;
using OneThing.Bench.Reporting;
using OneThing.Bench.Sweep;

namespace OneThing.Bench;

// Not top-level statements: those would declare a second global Program beside the API's, which the filing benchmark hosts.
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        ConsoleSetup.Configure();
        var root = new RootCommand("OneThing benchmarks, each beside pgbench running the same rows on the same PostgreSQL")
        {
            SweepCommand.Create(),
            FilingCommand.Create(),
            LifecycleCommand.Create(),
            InboxCommand.Create(),
            FullRunCommand.Create(),
        };
        return await root.Parse(args).InvokeAsync();
    }
}
