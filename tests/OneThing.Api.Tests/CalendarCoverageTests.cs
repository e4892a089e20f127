using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class CalendarCoverageTests(PostgresServer postgres)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    [Fact]
    public async Task Readiness_is_degraded_but_answers_200_naming_a_missing_calendar_year_within_the_next_60_days()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 12, 1, 9, 0, 0, Beijing));
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), clock: clock);

        var (status, body) = await ReadinessAsync(host);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("Degraded", body);
        Assert.Contains("calendar: Degraded: no holiday calendar for 2027", body);
        Assert.DoesNotContain("2026", body);
    }

    [Fact]
    public async Task Readiness_names_a_missing_year_while_an_open_deadline_falls_in_it_and_is_healthy_otherwise()
    {
        var clock = new TestClock(new DateTimeOffset(2026, 6, 1, 9, 0, 0, Beijing));
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), clock: clock);
        var api = new ApiClient(host);
        var healthy = await ReadinessAsync(host);
        clock.Set(new DateTimeOffset(2026, 12, 30, 9, 0, 0, Beijing));
        var filed = await api.FileIdentityChangeAsync();
        Assert.Equal(2027, filed.Deadline.DueAt!.Value.Year);

        clock.Set(new DateTimeOffset(2026, 6, 1, 9, 0, 0, Beijing));
        var withOpenDeadline = await ReadinessAsync(host);

        Assert.Equal((HttpStatusCode.OK, "Healthy"), healthy);
        Assert.Equal(HttpStatusCode.OK, withOpenDeadline.Status);
        Assert.Contains("calendar: Degraded: no holiday calendar for 2027", withOpenDeadline.Body);
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(OneThingHost host)
    {
        using var response = await host.CreateClient().GetAsync("/health/ready");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
