using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Cases;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Deadlines;

namespace OneThing.Api.Tests;

/// <summary>
/// Notifications through the real channels: e-mail to a real SMTP server and signed posts to a real HTTP robot
/// endpoint, both started by the tests; quick tries inside an attempt, permanent refusals, and what reaches the log.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class NotificationChannelTests(PostgresServer postgres)
{
    private const string FamilyPhone = "13512345678";
    private const string DutyDesk = "duty.desk@jiangbei.gov.cn";
    private const string Secret = "robot-secret-0123456789";
    private static readonly DateTimeOffset AlertRaised = new(2026, 11, 3, 21, 0, 0, TimeSpan.FromHours(8));

    private static readonly Dictionary<string, string?> QuickTries = new()
    {
        ["Notifications:SendRetries"] = "2",
        ["Notifications:SendRetryDelay"] = "00:00:00.050",
        ["Processing:ResendCheckInterval"] = "00:00:00.200",
        ["Processing:NotificationRetryDelay"] = "00:00:00.100",
    };

    [Fact]
    public async Task The_duty_desk_gets_the_missed_visit_by_mail_and_the_case_shows_it_delivered()
    {
        await using var mail = new SmtpTestServer(userName: "onething", password: "mail-password");
        var clock = new TestClock(AlertRaised);
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>(ThroughMail(mail, "clerk", DutyDesk))
        {
            ["Deadlines:SweepInterval"] = "01:00:00",
            ["Notifications:Smtp:UserName"] = "onething",
            ["Notifications:Smtp:Password"] = "mail-password",
            ["Notifications:Smtp:From"] = "一件事平台 <noreply@jiangbei.gov.cn>",
        }, clock);
        var api = new ApiClient(host);
        var opened = await ApiClient.CaseOf(await api.ReportWaterAlertAsync(), HttpStatusCode.Created);
        await api.WaitForTaskAsync("yongjiang-waicao-01", opened.Id);

        clock.Set(AlertRaised.AddMinutes(31));
        await host.Services.GetRequiredService<DeadlineSweeper>().SweepAsync(CancellationToken.None);

        var received = await Eventually.MatchAsync(() => Task.FromResult(mail.Received.ToList()), r => r.Count == 1, "the mail to reach the test server");
        var message = received.Single();
        Assert.Equal([DutyDesk], message.To);
        Assert.Equal("onething", message.SignedInAs);
        Assert.Equal("noreply@jiangbei.gov.cn", message.From);
        Assert.Contains(opened.CaseNumber, message.Message.Subject);
        Assert.Contains("网格员30分钟内未反馈，已转值班人员研判。", message.Message.TextBody);
        var delivered = await api.WaitForCaseAsync(opened.Id, c => c.Notifications.Any(n => n.Recipient == "clerk" && n.Delivery == "delivered"),
            "the duty desk's notification to read delivered");
        var toDesk = delivered.Notifications.Single(n => n.Recipient == "clerk");
        Assert.Equal("smtp", toDesk.Channel);
        Assert.Equal(1, toDesk.Attempts);
        Assert.Equal(clock.GetUtcNow(), toDesk.DeliveredAt);
        // The family's SMS has no gateway here: it stays on the default log channel, delivered there.
        Assert.Equal("log", delivered.Notifications.Single(n => n.Recipient == "familyPhone").Channel);
    }

    [Fact]
    public async Task A_robot_that_answers_500_twice_then_200_is_tried_again_within_the_attempt_and_delivered()
    {
        await using var robot = await WebhookReceiver.StartAsync(Secret, 500, 500);
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), ThroughRobot(robot, Secret));
        var api = new ApiClient(host);

        var opened = await ApiClient.CaseOf(await api.ReportWaterAlertAsync(), HttpStatusCode.Created);

        var notification = (await api.WaitForCaseAsync(opened.Id, c => c.Notifications.Single().Delivery == "delivered", "the robot to get the notification"))
            .Notifications.Single();
        Assert.Equal(1, notification.Attempts);
        Assert.Equal("webhook", notification.Channel);
        var requests = robot.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, request => Assert.True(request.SignatureValid));
        Assert.Single(requests.Select(r => r.NotificationId).Distinct());
        Assert.Equal("text", requests[^1].MessageType);
        Assert.Contains(opened.CaseNumber, requests[^1].Content);
        Assert.Contains("您家老人的智能水表出现异常告警", requests[^1].Content);
        Assert.Contains("135****5678", requests[^1].Content);
        Assert.DoesNotContain(FamilyPhone, requests[^1].Body);
    }

    [Fact]
    public async Task A_robot_that_answers_400_fails_the_notification_at_once_with_its_reason_shown_to_supervisors()
    {
        await using var robot = await WebhookReceiver.StartAsync(Secret, 400);
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), ThroughRobot(robot, Secret));
        var api = new ApiClient(host);

        var opened = await ApiClient.CaseOf(await api.ReportWaterAlertAsync(), HttpStatusCode.Created);

        var failed = (await api.WaitForCaseAsync(opened.Id, c => c.Notifications.Single().Delivery == "failed", "the notification to fail")).Notifications.Single();
        Assert.Equal(1, failed.Attempts);
        Assert.Equal("webhook: webhook refused the message: 400 Bad Request", failed.LastError);
        var listed = await api.As(Staff.Supervisor).GetFromJsonAsync<JsonElement>("/api/supervision/notifications?state=failed");
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(opened.CaseNumber, item.GetProperty("caseNumber").GetString());
        Assert.Equal("webhook", item.GetProperty("channel").GetString());
        Assert.Equal("webhook: webhook refused the message: 400 Bad Request", item.GetProperty("lastError").GetString());
        await Task.Delay(1_000);
        Assert.Single(robot.Requests);
    }

    [Fact]
    public async Task A_robot_request_signed_with_another_secret_is_told_apart_by_the_receiver_and_refused()
    {
        await using var robot = await WebhookReceiver.StartAsync(Secret);
        await using var host = new OneThingHost(await postgres.CreateDatabaseAsync(), ThroughRobot(robot, "a-leaked-or-old-secret-000"));
        var api = new ApiClient(host);

        var opened = await ApiClient.CaseOf(await api.ReportWaterAlertAsync(), HttpStatusCode.Created);

        var failed = (await api.WaitForCaseAsync(opened.Id, c => c.Notifications.Single().Delivery == "failed", "the notification to fail")).Notifications.Single();
        var request = Assert.Single(robot.Requests);
        Assert.False(request.SignatureValid);
        Assert.Equal("webhook: webhook refused the message: 401 Unauthorized", failed.LastError);
    }

    [Fact]
    public async Task A_mail_server_refusing_the_address_fails_at_once_and_no_address_number_or_text_reaches_the_log()
    {
        const string FamilyMailbox = "hong.family@example.cn";
        await using var mail = new SmtpTestServer();
        mail.RejectedRecipients[FamilyMailbox] = true;
        await using var robot = await WebhookReceiver.StartAsync(Secret, 503);
        var logFile = Path.Combine(Path.GetTempPath(), $"onething-log-{Guid.NewGuid():N}.txt");
        try
        {
            Guid caseId;
            CaseResponse failed;
            var settings = ThroughMail(mail, "familyPhone", FamilyMailbox);
            foreach (var (key, value) in ThroughRobot(robot, Secret))
            {
                settings[key] = value;
            }

            settings["Notifications:Channels:familyPhone"] = "smtp,webhook";
            settings["Logging:File"] = logFile;
            settings["Logging:MinimumLevel"] = "Debug";
            await using (var host = new OneThingHost(await postgres.CreateDatabaseAsync(), settings))
            {
                var api = new ApiClient(host);
                caseId = (await ApiClient.CaseOf(await api.ReportWaterAlertAsync(), HttpStatusCode.Created)).Id;
                failed = await api.WaitForCaseAsync(caseId, c => c.Notifications.Single().Delivery == "failed", "the refused mail to fail the notification");
                var deliveredThrough = await host.WithDbAsync(db => db.Notifications.Where(n => n.CaseId == caseId).Select(n => n.DeliveredChannels).SingleAsync());
                Assert.Equal(["webhook"], deliveredThrough);
            }

            var notification = failed.Notifications.Single();
            Assert.Equal(1, notification.Attempts);
            Assert.StartsWith("smtp: SMTP server refused (550 RecipientNotAccepted)", notification.LastError);
            Assert.Contains("h***@example.cn", notification.LastError);
            Assert.DoesNotContain(FamilyMailbox, notification.LastError);
            Assert.Equal(2, robot.Requests.Count);
            var log = await File.ReadAllTextAsync(logFile);
            Assert.Contains(caseId.ToString(), log);
            Assert.Contains("h***@example.cn", log);
            foreach (var secret in new[] { FamilyMailbox, FamilyPhone, "洪阿婆", "您家老人的智能水表出现异常告警", "The smart water meter at your relative's home" })
            {
                Assert.DoesNotContain(secret, log);
            }
        }
        finally
        {
            File.Delete(logFile);
        }
    }

    [Theory]
    [InlineData("Channels:clerk", "smtpp", "Notifications__Channels__clerk")]
    [InlineData("Channels:default", "smtp", "Notifications__Smtp__Host")]
    [InlineData("Channels:default", "webhook", "Notifications__Webhook__Url")]
    [InlineData("SendRetries", "50", "Notifications__SendRetries")]
    public void Bad_notification_settings_stop_the_start_with_a_message_naming_the_setting(string setting, string value, string named)
    {
        using var host = new OneThingHost("Host=127.0.0.1;Database=unused", new Dictionary<string, string?> { [$"Notifications:{setting}"] = value });

        var error = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.Contains(named, error.ToString());
    }

    [Fact]
    public void A_password_that_would_travel_in_clear_to_another_machine_stops_the_start()
    {
        using var host = new OneThingHost("Host=127.0.0.1;Database=unused", new Dictionary<string, string?>
        {
            ["Notifications:Channels:clerk"] = "smtp",
            ["Notifications:Smtp:Host"] = "mail.jiangbei.gov.cn",
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:UserName"] = "onething",
            ["Notifications:Smtp:Password"] = "secret",
            ["Notifications:Smtp:From"] = "noreply@jiangbei.gov.cn",
        });

        var error = Assert.ThrowsAny<Exception>(() => host.Services);

        Assert.Contains("could travel in clear", error.ToString());
    }

    private static Dictionary<string, string?> ThroughMail(SmtpTestServer mail, string recipient, string mailbox) => new(QuickTries)
    {
        [$"Notifications:Channels:{recipient}"] = "smtp",
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = mail.Port.ToString(),
        ["Notifications:Smtp:Security"] = "None",
        ["Notifications:Smtp:From"] = "noreply@jiangbei.gov.cn",
        [$"Notifications:Smtp:Addresses:{recipient}"] = mailbox,
    };

    private static Dictionary<string, string?> ThroughRobot(WebhookReceiver robot, string secret) => new(QuickTries)
    {
        ["Notifications:Channels:familyPhone"] = "webhook",
        ["Notifications:Webhook:Url"] = robot.Url,
        ["Notifications:Webhook:Secret"] = secret,
        ["Notifications:Webhook:SignatureHeader"] = WebhookReceiver.SignatureHeader,
        ["Notifications:Webhook:TimestampHeader"] = WebhookReceiver.TimestampHeader,
    };
}
