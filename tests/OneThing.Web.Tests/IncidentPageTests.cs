using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Processing.Incidents;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class IncidentPageTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Lane = "江北区孔浦街道怡江小区3幢东侧消防通道";
    private const string OtherLane = "江北区甬江街道庆丰社区5幢北侧消防通道";

    [Fact]
    public async Task Reports_of_the_same_place_show_as_one_open_incident_with_its_report_count_and_place()
    {
        var first = await ReportFireLaneAsync(Lane, "camera-12");
        Browser.Clock.Set(BrowserFixture.Start.AddMinutes(20));
        Assert.Equal(first, await ReportFireLaneAsync(Lane, "resident-hotline"));
        Assert.Equal(first, await ReportFireLaneAsync(Lane, "grid-worker-7"));
        Browser.Clock.Set(BrowserFixture.Start.AddMinutes(30));
        var other = await ReportFireLaneAsync(OtherLane, "camera-3");
        Assert.NotEqual(first, other);

        await SignInAsAsync("supervisor");
        await Page.OpenAsync("/supervisor");
        await Page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "事件" }).ClickAsync();
        await Expect(Page.Locator("h1")).ToHaveTextAsync("在办事件");
        var rows = Page.Locator(".open-incidents tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("incident-total")).ToHaveTextAsync("在办事件 2 件。");
        var lane = rows.Filter(new() { HasText = Lane });
        await Expect(lane).ToHaveCountAsync(1);
        await Expect(lane.Locator(".incident-reports")).ToHaveTextAsync("3");
        await Expect(lane).ToContainTextAsync("消防通道堵塞治理");
        await Expect(lane).ToContainTextAsync("2026-11-23 09:00");
        await Expect(lane).ToContainTextAsync("2026-11-23 09:20");
        await Expect(rows.Filter(new() { HasText = OtherLane }).Locator(".incident-reports")).ToHaveTextAsync("1");
        // The place reported last is on top.
        await Expect(rows.First).ToContainTextAsync(OtherLane);
        await Page.ScreenshotAsync("open-incidents");

        await ChooseEventAsync("独居老人智能水表告警（甬易养）");
        await Expect(Page.Locator(".open-incidents")).ToContainTextAsync("目前没有在办事件");
        await ChooseEventAsync("全部事件");
        await Expect(rows).ToHaveCountAsync(2);

        await lane.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page.Locator(".case-history")).ToContainTextAsync("合并重复上报");
    }

    [Fact]
    public async Task A_clerk_gets_the_not_allowed_view_of_the_incidents()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/supervisor/incidents");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("无权访问");
        await Expect(Page.GetByRole(AriaRole.Navigation)).Not.ToContainTextAsync("事件");
    }

    private Task ChooseEventAsync(string name) => Page.ChooseAsync(".incident-event-filter", name);

    /// <summary>Reports as the sensor platform's account does, through the same use case as POST /api/events.</summary>
    private Task<Guid> ReportFireLaneAsync(string location, string source) => Browser.WithScopeAsync(async services =>
    {
        var form = JsonSerializer.SerializeToElement(new { location, grid = "kongpu-c01-01", plateNumber = "浙B12345", reportedBy = "camera", reporterPhone = "13912345678" });
        var result = await services.GetRequiredService<ReportIncident>().HandleAsync(
            new ReportIncidentCommand("fire-lane-blocked", form, source, new AuditActor("reporter", Roles.Reporter, "127.0.0.1")), CancellationToken.None);
        Assert.Null(result.Refusal);
        return result.Value!.CaseId;
    });
}
