using Spectre.Console;

namespace OneThing.Bench.Reporting;

public static class ConsoleSetup
{
    /// <summary>Redirected to a file (as for docs/benchmarks.md), tables get room to stay readable and no colour codes.</summary>
    public static void Configure()
    {
        if (!Console.IsOutputRedirected)
        {
            return;
        }

        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        AnsiConsole.Profile.Width = 160;
    }
}
