using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OneThing.Api.Web.Shared;
using OneThing.Processing.Notifications;
using OneThing.Processing.Persistence;
using OneThing.Web.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OneThing.Web.Tests;

public sealed class NotificationDeliveryTests(BrowserFixture browser) : BrowserTest(browser)
{
    private const string FamilyPhone = "13512345678";
    private const string MaskedFamilyPhone = "135****5678";
    private const string RobotSecret = "robot-secret-0123456789";

    private static readonly Dictionary<string, string?> FastGivingUp = new()
    {
        ["Processing:NotificationMaxAttempts"] = "2",
        ["Processing:NotificationRetryDelay"] = "00:00:00.100",
        ["Processing:ResendCheckInterval"] = "00:00:00.200",
        ["Processing:RedeliveryTimeout"] = "00:00:00.500",
        ["Notifications:Channels:default"] = "sms-test",
        ["Notifications:SendRetries"] = "0",
    };

    [Fact]
    public async Task A_notification_given_up_after_its_retries_is_shown_to_the_supervisor_masked_and_reads_failed_on_the_case_page()
    {
        await using var host = await Browser.StartHostAsync(FastGivingUp, services => services.AddSingleton<INotificationChannel, RefusingChannel>());
        var (caseId, caseNumber) = await ReportWaterAlertAsync(host);
        var failedAt = await Eventually.MatchAsync(
            () => WithDbAsync(host, db => db.Notifications.Where(n => n.CaseId == caseId).Select(n => n.FailedAt).SingleOrDefaultAsync()),
            at => at is not null, "the family notification to be given up");

        var page = await Browser.NewPageAsync("supervisor", host);
        try
        {
            await page.OpenAsync("/supervisor");
            var undelivered = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "未送达通知" }) });
            var row = undelivered.Locator("tr", new() { HasText = caseNumber });
            await Expect(row).ToContainTextAsync("通知家属");
            await Expect(row).ToContainTextAsync("家属手机号");
            await Expect(row).ToContainTextAsync(MaskedFamilyPhone);
            await Expect(row).ToContainTextAsync($"HttpRequestException: gateway refused {MaskedFamilyPhone}");
            await Expect(row).ToContainTextAsync(Beijing.Format(failedAt));
            await Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("2");
            await Expect(page.GetByTestId("notifications-retrying")).ToHaveTextAsync("0");
            await Expect(page.Locator("body")).Not.ToContainTextAsync(FamilyPhone);
            await Expect(page.GetByTestId("open-cases")).ToHaveTextAsync("1");
            await page.ScreenshotAsync("supervisor-undelivered-notifications");

            await row.GetByRole(AriaRole.Link, new() { Name = caseNumber }).ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync($"办件 {caseNumber}");
            var notification = page.Locator(".case-notifications tr", new() { HasText = "通知家属" });
            await Expect(notification).ToContainTextAsync("发送失败");
            await Expect(notification).ToContainTextAsync(MaskedFamilyPhone);
            await Expect(notification.Locator("td").Nth(3)).ToHaveTextAsync("2");
            await Expect(page.Locator(".case-notifications")).Not.ToContainTextAsync(FamilyPhone);
            await page.ScreenshotAsync("case-page-notification-failed");
        }
        finally
        {
            await page.Context.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_delivered_notification_reads_delivered_on_the_case_page_and_the_dashboard_lists_no_failure()
    {
        var (caseId, _) = await ReportWaterAlertAsync(Browser.Host);
        await Eventually.MatchAsync(
            () => WithDbAsync(Browser.Host, db => db.Notifications.Where(n => n.CaseId == caseId).Select(n => n.DeliveredAt).SingleOrDefaultAsync()),
            at => at is not null, "the family notification to arrive");

        await SignInAsAsync("supervisor");
        await Page.OpenAsync("/supervisor");
        await Expect(Page.GetByTestId("failed-notifications")).ToContainTextAsync("没有发送失败的通知");
        await Expect(Page.GetByTestId("notifications-retrying")).ToHaveTextAsync("0");

        await Page.OpenAsync($"/cases/{caseId}");
        var notification = Page.Locator(".case-notifications tr", new() { HasText = "通知家属" });
        await Expect(notification).ToContainTextAsync("已送达");
        await Expect(notification.Locator("td").Nth(3)).ToHaveTextAsync("1");
        await Expect(notification.Locator("td").Nth(4)).ToHaveTextAsync("日志（未接短信网关）");
        await Expect(notification.Locator("td").Nth(6)).ToHaveTextAsync("—");
    }

    [Fact]
    public async Task A_notification_a_messenger_robot_refused_reads_failed_with_the_robots_answer_and_channel_on_the_case_page()
    {
        await using var robot = await WebhookReceiver.StartAsync(RobotSecret, 400);
        await using var host = await Browser.StartHostAsync(new Dictionary<string, string?>
        {
            ["Notifications:Channels:familyPhone"] = "webhook",
            ["Notifications:Webhook:Url"] = robot.Url,
            ["Notifications:Webhook:Secret"] = RobotSecret,
        }, _ => { });
        var (caseId, caseNumber) = await ReportWaterAlertAsync(host);
        await Eventually.MatchAsync(
            () => WithDbAsync(host, db => db.Notifications.Where(n => n.CaseId == caseId).Select(n => n.FailedAt).SingleOrDefaultAsync()),
            at => at is not null, "the robot's refusal to fail the notification");

        var page = await Browser.NewPageAsync("supervisor", host);
        try
        {
            await page.OpenAsync($"/cases/{caseId}");
            await Expect(page.Locator("h1")).ToHaveTextAsync($"办件 {caseNumber}");
            var notification = page.Locator(".case-notifications tr", new() { HasText = "通知家属" });
            await Expect(notification.Locator("td").Nth(2)).ToHaveTextAsync("发送失败");
            await Expect(notification.Locator("td").Nth(3)).ToHaveTextAsync("1");
            await Expect(notification.Locator("td").Nth(4)).ToHaveTextAsync("政务通讯机器人");
            await Expect(notification.Locator("td").Nth(6)).ToHaveTextAsync("webhook: webhook refused the message: 400 Bad Request");
            await page.ScreenshotAsync("case-page-notification-refused-by-robot");

            await page.OpenAsync("/supervisor");
            var row = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "未送达通知" }) })
                .Locator("tr", new() { HasText = caseNumber });
            await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync("政务通讯机器人");
            await Expect(row).ToContainTextAsync("400 Bad Request");
        }
        finally
        {
            await page.Context.DisposeAsync();
        }
    }

    /// <summary>Files the incident as a sensor platform does: POST /api/events as the reporter account, with a bearer token.</summary>
    private static async Task<(Guid Id, string CaseNumber)> ReportWaterAlertAsync(BrowserHost host)
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { userName = Staff.Reporter, password = Staff.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // A meter's alert names only the meter: the admin enrols its elder in civil affairs' register first.
        using (var admin = new HttpClient { BaseAddress = new Uri(host.BaseUrl) })
        {
            var adminLogin = await admin.PostAsJsonAsync("/api/auth/login", new { userName = Staff.Admin, password = Staff.DemoPassword });
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                (await adminLogin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
            var enrolled = await admin.PostAsJsonAsync("/api/elder-register", new
            {
                meterId = "WM-330205-00871", name = "洪阿婆", address = "江北区甬江街道外漕村12号", grid = "yongjiang-waicao-01", familyPhone = FamilyPhone,
            });
            Assert.True(enrolled.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await enrolled.Content.ReadAsStringAsync());
        }

        var reported = await http.PostAsJsonAsync("/api/events/water-meter-alert", new
        {
            source = "sensor-1",
            form = new { meterId = "WM-330205-00871", alertType = "no-use", hoursWithoutUse = 14 },
        });
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        // A reporter is told only the case number and status; the case's address is in the Location header.
        var opened = await reported.Content.ReadFromJsonAsync<JsonElement>();
        return (Guid.Parse(reported.Headers.Location!.OriginalString.Split('/')[^1]), opened.GetProperty("caseNumber").GetString()!);
    }

    private static async Task<T> WithDbAsync<T>(BrowserHost host, Func<OneThingDbContext, Task<T>> query)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<OneThingDbContext>());
    }

    /// <summary>Stands in for an SMS gateway that is down: every send is refused, naming the number as gateways do.</summary>
    private sealed class RefusingChannel : INotificationChannel
    {
        public string Name => "sms-test";

        public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken) =>
            throw new HttpRequestException($"gateway refused {notification.Address}");
    }
}
