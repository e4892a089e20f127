using Microsoft.Extensions.DependencyInjection;
using OneThing.Processing.Deadlines;

namespace OneThing.Api.Tests;

/// <summary>What the catalogue tests' hosts share: a clock the test moves, and deadline sweeps the test runs by hand.</summary>
internal static class CatalogueHost
{
    /// <summary>Tuesday 10 March 2026, 10:00 in Beijing: an ordinary working morning.</summary>
    public static readonly DateTimeOffset WorkingMorning = new(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The sweeper's own interval pushed out of reach, so only the test's <see cref="SweepAsync"/> fires timers.</summary>
    public static readonly IReadOnlyDictionary<string, string?> SweepByHand = new Dictionary<string, string?> { ["Deadlines:SweepInterval"] = "01:00:00" };

    public static Task<int> SweepAsync(this OneThingHost host) =>
        host.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None);
}

/// <summary>One catalogue host per test class; each test starts on the working morning with the data start-up left.</summary>
public sealed class SharedCatalogueHost(PostgresServer postgres) : ClockedSharedHost(postgres, CatalogueHost.WorkingMorning, CatalogueHost.SweepByHand);
