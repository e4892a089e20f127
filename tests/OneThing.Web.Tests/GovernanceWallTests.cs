using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Processing.Incidents;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

/// <summary>一屏观天下 on the governance centre's 1920×1080 wall: the numbers, no scrolling, no serious accessibility finding.</summary>
public sealed class GovernanceWallTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string Lane = "江北区孔浦街道怡江小区3幢东侧消防通道";

    [Fact]
    public async Task The_wall_shows_open_work_by_street_and_the_busiest_place_on_one_unscrolled_screen()
    {
        var first = await ReportFireLaneAsync("camera-12");
        Browser.Clock.Set(BrowserFixture.Start.AddMinutes(20));
        Assert.Equal(first, await ReportFireLaneAsync("resident-hotline"));

        await SignInAsAsync("supervisor");
        await Page.SetViewportSizeAsync(1920, 1080);
        await Page.OpenAsync("/supervisor/screen");

        await Expect(Page.Locator("h1")).ToContainTextAsync("一屏观天下");
        await Expect(Page.GetByTestId("wall-open-cases")).Not.ToHaveTextAsync("0");
        Assert.True(await Page.GetByTestId("wall-street").CountAsync() >= 8, "every street of the district has its row");
        await Expect(Page.Locator("[data-street='kongpu']")).ToContainTextAsync("孔浦街道");
        var hotspot = Page.GetByTestId("wall-hotspot").First;
        await Expect(hotspot).ToContainTextAsync("2 次上报");
        await Expect(Page.Locator(".wall-trend rect")).ToHaveCountAsync(30);

        var overflow = await Page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        Assert.True(overflow[0] <= 1920 && overflow[1] <= 1080, $"the wall scrolls: {overflow[0]}×{overflow[1]}");
        await Page.ScreenshotAsync("governance-wall");

        var axe = await Page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
    }

    [Fact]
    public async Task A_clerk_gets_the_not_allowed_view_of_the_wall()
    {
        await SignInAsAsync("clerk");
        await Page.OpenAsync("/supervisor/screen");
        await Expect(Page.Locator("h1")).ToHaveTextAsync("无权访问");
    }

    private Task<Guid> ReportFireLaneAsync(string source) => Browser.WithScopeAsync(async services =>
    {
        var form = JsonSerializer.SerializeToElement(new { location = Lane, grid = "kongpu-c01-01", plateNumber = "浙B12345", reportedBy = "camera", reporterPhone = "13912345678" });
        var result = await services.GetRequiredService<ReportIncident>().HandleAsync(
            new ReportIncidentCommand("fire-lane-blocked", form, source, new AuditActor("reporter", Roles.Reporter, "127.0.0.1")), CancellationToken.None);
        Assert.Null(result.Refusal);
        return result.Value!.CaseId;
    });
}
