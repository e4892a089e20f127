using System.CommandLine;

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

    public static void AtLeast(Option<int> option, int minimum) =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum}.");
            }
        });
}
