using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Deadlines;

namespace OneThing.Api.Tests;

/// <summary>A host on its own database whose clock the test moves and whose deadline sweeps the test runs by hand.</summary>
internal static class CatalogueHost
{
    /// <summary>Tuesday 10 March 2026, 10:00 in Beijing: an ordinary working morning.</summary>
    public static readonly DateTimeOffset WorkingMorning = new(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(8));

    public static async Task<(OneThingHost Host, ApiClient Api, TestClock Clock)> StartAsync(PostgresServer postgres)
    {
        var clock = new TestClock(WorkingMorning);
        var host = new OneThingHost(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Deadlines:SweepInterval"] = "01:00:00" }, clock);
        return (host, new ApiClient(host.CreateClient()), clock);
    }

    public static Task<int> SweepAsync(this OneThingHost host) =>
        host.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None);
}
