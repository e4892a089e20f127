using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Supervision;

/// <summary>一屏观天下 over HTTP: the wall's counts by street, matter and light, the incident hotspots and the breach trend.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class GovernanceScreenTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Event = "water-meter-alert";
    private const string YongjiangGrid = "yongjiang-waicao-02", CichengGrid = "cicheng-nanlian-01";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> ReportAsync(string meter, string grid)
    {
        var opened = await ApiClient.CaseOf(await _api.ReportWaterAlertAsync(meter, grid), HttpStatusCode.Created);
        await _api.WaitForTaskAsync(grid, opened.Id);
        return opened.Id;
    }

    [Fact]
    public async Task The_wall_counts_open_work_by_street_and_light_lists_the_busiest_places_and_compares_this_weeks_breaches_with_last_weeks()
    {
        // Tuesday 10 March: two alerts in Yongjiang (one meter reported twice) and one in Cicheng; their 30-minute visits are missed,
        // and so are the tasks each missed visit opens by evening: two breaches per case that day, one task per case still red (a late visit goes to the person on duty, not to 120).
        await ReportAsync("WM-A", YongjiangGrid);
        var repeated = await _api.ReportWaterAlertAsync("WM-A", YongjiangGrid, source: "sensor-2");
        await ReportAsync("WM-B", CichengGrid);
        _clock.Set(new DateTimeOffset(2026, 3, 10, 11, 0, 0, Beijing));
        await _host.SweepAsync();
        _clock.Set(new DateTimeOffset(2026, 3, 10, 18, 0, 0, Beijing));
        await _host.SweepAsync();

        // A week later a fresh alert in Yongjiang, still inside its deadline.
        _clock.Set(new DateTimeOffset(2026, 3, 17, 10, 0, 0, Beijing));
        await ReportAsync("WM-C", YongjiangGrid);

        var screen = await _api.As(Staff.Supervisor).GetFromJsonAsync<JsonElement>("/api/supervision/screen?hotspots=2");

        Assert.True(repeated.IsSuccessStatusCode, $"the repeated report answered {repeated.StatusCode}");
        Assert.Equal(3, screen.GetProperty("openCases").GetInt32());
        Assert.Equal(2, screen.GetProperty("tasks").GetProperty("red").GetInt32());
        Assert.Equal(1, screen.GetProperty("tasks").GetProperty("green").GetInt32());
        var streets = screen.GetProperty("byStreet").EnumerateArray().ToDictionary(s => s.GetProperty("street").GetString() ?? "", s => s);
        Assert.Equal(8, streets.Count);
        Assert.Equal(2, streets["yongjiang"].GetProperty("openCases").GetInt32());
        Assert.Equal(1, streets["yongjiang"].GetProperty("tasks").GetProperty("red").GetInt32());
        Assert.Equal(1, streets["yongjiang"].GetProperty("tasks").GetProperty("green").GetInt32());
        Assert.Equal(1, streets["cicheng"].GetProperty("openCases").GetInt32());
        Assert.Equal(1, streets["cicheng"].GetProperty("tasks").GetProperty("red").GetInt32());
        Assert.All(streets.Where(s => s.Key is not ("yongjiang" or "cicheng")), s => Assert.Equal(0, s.Value.GetProperty("openCases").GetInt32()));
        var matter = Assert.Single(screen.GetProperty("byWorkflow").EnumerateArray());
        Assert.Equal("elderly-water-alert", matter.GetProperty("key").GetString());
        Assert.Equal(2, matter.GetProperty("counts").GetProperty("red").GetInt32());

        var hotspots = screen.GetProperty("hotspots").EnumerateArray().ToList();
        Assert.Equal(2, hotspots.Count);
        Assert.Equal("wma", hotspots[0].GetProperty("place").GetString());
        Assert.Equal(2, hotspots[0].GetProperty("reports").GetInt32());
        Assert.Equal(1, hotspots[1].GetProperty("reports").GetInt32());

        var breaches = screen.GetProperty("breaches");
        Assert.Equal(0, breaches.GetProperty("last7Days").GetInt32());
        Assert.Equal(4, breaches.GetProperty("previous7Days").GetInt32());
        Assert.Equal(4, breaches.GetProperty("last30Days").GetInt32());
        Assert.Equal(0, breaches.GetProperty("previous30Days").GetInt32());
        var daily = breaches.GetProperty("daily").EnumerateArray().ToDictionary(d => d.GetProperty("day").GetString()!, d => d.GetProperty("count").GetInt32());
        Assert.Equal(30, daily.Count);
        Assert.Equal(4, daily["2026-03-10"]);
        Assert.Equal(0, daily["2026-03-17"]);
        Assert.Equal(4, daily.Values.Sum());
    }

    [Fact]
    public async Task The_wall_refuses_a_hotspot_count_out_of_range_and_is_for_supervisors_only()
    {
        var tooMany = await _api.As(Staff.Supervisor).GetAsync("/api/supervision/screen?hotspots=500");
        var reviewer = await _api.Reviewer("housing-fund").GetAsync("/api/supervision/screen");

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal("application/problem+json", tooMany.Content.Headers.ContentType?.MediaType);
        Assert.Contains("1 to 20", (await ApiClient.ProblemAsync(tooMany)).GetProperty("errors").GetProperty("hotspots")[0].GetString());
        Assert.Equal(HttpStatusCode.Forbidden, reviewer.StatusCode);
    }
}
