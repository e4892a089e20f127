using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Deadlines;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Processing.Commands;
using OneThing.Processing.Deadlines;

namespace OneThing.Api.Tests;

/// <summary>Deadlines the law counts: the case clock stops during a supplement (补正), and an extension (延期) moves a task's due time.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class LegalDeadlineTests(LegalDeadlineTests.FridayHost shared) : IClassFixture<LegalDeadlineTests.FridayHost>, IAsyncLifetime
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>Friday 16 October 2026, 10:00: an ordinary working morning before a weekend.</summary>
    private static readonly DateTimeOffset FridayMorning = new(2026, 10, 16, 10, 0, 0, Beijing);

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await shared.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public sealed class FridayHost(PostgresServer postgres) : ClockedSharedHost(postgres, FridayMorning, CatalogueHost.SweepByHand);

    private static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Beijing);

    [Fact]
    public async Task A_supplement_across_a_weekend_stops_the_case_clock_and_moves_the_case_due_time_by_the_paused_working_time()
    {
        var filed = await _api.FileIdentityChangeAsync();
        Assert.Equal(At(10, 23, 17, 30), filed.Deadline.DueAt);
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);

        _clock.Set(At(10, 16, 11));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RequestSupplementAsync(task.Id, "请补充户口簿复印件"));
        var waiting = await _api.GetCaseAsync(filed.Id);
        Assert.True(waiting.Deadline.Paused);

        // Friday 11:00-17:30 (5 h), Monday (7.5 h) and Tuesday 08:30-11:00 (2.5 h): 15 working hours, two working days.
        _clock.Set(At(10, 20, 11));
        var householdBook = await _api.UploadedAsync("户口簿.pdf", "application/pdf", SampleFiles.Of("application/pdf", 120_000));
        var resumed = await ApiClient.CaseOf(await _api.SubmitSupplementAsync(filed.Id, new
        {
            attachments = new[] { new { attachmentId = householdBook } },
            note = "已补充户口簿",
        }), HttpStatusCode.OK);

        Assert.False(resumed.Deadline.Paused);
        Assert.Equal(15 * 3600, resumed.Deadline.PausedSeconds);
        Assert.Equal(At(10, 27, 17, 30), resumed.Deadline.DueAt);
        Assert.Equal(ApiClient.Step(resumed, "household").Deadline.PausedSeconds, resumed.Deadline.PausedSeconds);
        Assert.Contains(resumed.History, h => h.Type == "case-clock-resumed" && h.Detail!.Contains("15 h"));

        // Past the first due time nothing fires for the case; past the moved one it is breached once.
        _clock.Set(At(10, 24, 10));
        await _host.SweepAsync();
        Assert.DoesNotContain((await _api.GetCaseAsync(filed.Id)).History, h => h.Type is "case-breached" or "case-warning");
        _clock.Set(At(10, 27, 17, 31));
        await _host.SweepAsync();
        var breached = await _api.GetCaseAsync(filed.Id);
        Assert.Single(breached.History, h => h.Type == "case-breached");
        Assert.Single(breached.History, h => h.Type == "case-warning");
        Assert.Equal("red", breached.Deadline.Light);
    }

    [Fact]
    public async Task An_approved_extension_moves_the_task_due_time_by_the_granted_working_days_and_the_light_turns_back_to_green()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        Assert.Equal(At(10, 19, 17, 30), task.Deadline.DueAt);

        // 13.5 working hours in all; 80% of them have passed at 14:48 on Monday.
        _clock.Set(At(10, 19, 15));
        await _host.SweepAsync();
        Assert.Equal("yellow", await HouseholdLightAsync(filed.Id));

        var asked = await RequestExtensionAsync(task.Id, 2, "需赴外省调取档案，申请延期");
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var request = (await asked.Content.ReadFromJsonAsync<ExtensionRequestResponse>(OneThingJson.Options))!;
        Assert.Equal(("pending", 2, "household"), (request.State, request.RequestedDays, request.StepId));
        Assert.Equal(HttpStatusCode.Conflict, (await RequestExtensionAsync(task.Id, 1, "再次申请")).StatusCode);

        var pending = await PendingAsync();
        Assert.Equal([request.Id], pending.Select(p => p.Id));
        Assert.Equal("需赴外省调取档案，申请延期", pending[0].Reason);

        var tooMany = await _api.As(Staff.Supervisor).PostAsJsonAsync($"/api/supervision/extension-requests/{request.Id}/approve", new { workingDays = 3 });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var approved = await _api.As(Staff.Supervisor).PostAsJsonAsync($"/api/supervision/extension-requests/{request.Id}/approve", new { workingDays = 1 });
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var decided = (await approved.Content.ReadFromJsonAsync<ExtensionRequestResponse>(OneThingJson.Options))!;
        Assert.Equal(("approved", 1, At(10, 20, 17, 30)), (decided.State, decided.GrantedDays, decided.DueAfter!.Value));
        Assert.Equal(HttpStatusCode.Conflict,
            (await _api.As(Staff.Supervisor).PostAsJsonAsync($"/api/supervision/extension-requests/{request.Id}/refuse", new { reason = "改主意" })).StatusCode);
        Assert.Empty(await PendingAsync());

        var extended = ApiClient.Step(await _api.GetCaseAsync(filed.Id), "household");
        Assert.Equal(At(10, 20, 17, 30), extended.Deadline.DueAt);
        Assert.Equal("green", extended.Deadline.Light);
        Assert.Equal(At(10, 20, 17, 30), (await _api.WaitForTaskAsync("household-registration", filed.Id)).Deadline.DueAt);

        _clock.Set(At(10, 19, 17, 31));
        await _host.SweepAsync();
        Assert.DoesNotContain((await _api.GetCaseAsync(filed.Id)).History, h => h.Type == "task-breached");
        _clock.Set(At(10, 20, 17, 31));
        await _host.SweepAsync();
        var history = (await _api.GetCaseAsync(filed.Id)).History;
        Assert.Single(history, h => h.Type == "task-breached");
        Assert.Single(history, h => h.Type == "extension-requested" && h.Detail == "2 working days asked: 需赴外省调取档案，申请延期");
        Assert.Single(history, h => h.Type == "extension-granted" && h.Actor == Staff.Supervisor && h.Detail!.StartsWith("1 of 2 working days granted"));
        Assert.Single(await AuditAsync("extension-granted"), e => e.GetProperty("targetId").GetString() == task.Id.ToString());
        Assert.Single(await AuditAsync("extension-requested"));
    }

    [Fact]
    public async Task A_refused_extension_keeps_the_deadline_and_the_history_says_why()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var request = (await (await RequestExtensionAsync(task.Id, 3, "材料复杂")).Content.ReadFromJsonAsync<ExtensionRequestResponse>(OneThingJson.Options))!;

        var withoutReason = await _api.As(Staff.Supervisor).PostAsJsonAsync($"/api/supervision/extension-requests/{request.Id}/refuse", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(withoutReason)).GetProperty("errors").TryGetProperty("reason", out _));
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.As(Staff.Supervisor).PostAsJsonAsync($"/api/supervision/extension-requests/{request.Id}/refuse", new { reason = "法定时限内可办结" }));

        var @case = await _api.GetCaseAsync(filed.Id);
        Assert.Equal(At(10, 19, 17, 30), ApiClient.Step(@case, "household").Deadline.DueAt);
        Assert.Single(@case.History, h => h.Type == "extension-refused" && h.Detail == "法定时限内可办结");
        var refused = await _api.As(Staff.Supervisor).GetFromJsonAsync<ExtensionRequestPage>("/api/supervision/extension-requests?state=refused", OneThingJson.Options);
        Assert.Equal("法定时限内可办结", Assert.Single(refused!.Items).DecisionReason);
        // Refused, the reviewer may ask again.
        Assert.Equal(HttpStatusCode.Created, (await RequestExtensionAsync(task.Id, 1, "补充说明后再申请")).StatusCode);
    }

    [Fact]
    public async Task An_extension_is_refused_for_another_departments_task_a_bad_number_of_days_and_a_task_that_ended()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);

        var stranger = await _api.Reviewer("education").PostAsJsonAsync($"/api/tasks/{task.Id}/extension-requests", new { workingDays = 1, reason = "x" });
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        foreach (var days in new object?[] { 0, 31, -1, null })
        {
            var bad = await RequestExtensionAsync(task.Id, days, "理由");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await ApiClient.ProblemAsync(bad)).GetProperty("errors").TryGetProperty("workingDays", out _));
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await RequestExtensionAsync(task.Id, 2, "")).StatusCode);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(task.Id));
        var ended = await RequestExtensionAsync(task.Id, 2, "已办结后申请");
        Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
        Assert.Contains("ended", (await ApiClient.ProblemAsync(ended)).GetProperty("detail").GetString());
        Assert.Empty(await PendingAsync());
    }

    [Fact]
    public async Task The_extension_use_cases_check_the_days_and_the_reason_themselves_so_no_entry_point_can_forget_them()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var reviewer = Staff.ReviewerActor("household-registration");
        var supervisor = new AuditActor(Staff.Supervisor, Roles.Supervisor, "127.0.0.1");

        var tooMany = await RequestAsync(new RequestExtensionCommand(task.Id, RequestExtension.MaxWorkingDays + 1, "理由", reviewer));
        var none = await RequestAsync(new RequestExtensionCommand(task.Id, null, "理由", reviewer));
        var blank = await RequestAsync(new RequestExtensionCommand(task.Id, 2, "   ", reviewer));
        var tooLong = await RequestAsync(new RequestExtensionCommand(task.Id, 2, new string('理', RequestExtension.MaxReasonLength + 1), reviewer));
        Assert.Equal(["workingDays", "workingDays", "reason", "reason"],
            new[] { tooMany, none, blank, tooLong }.Select(result => Assert.IsType<Refusal.Invalid>(result.Refusal).Field));
        Assert.Empty(await PendingAsync());

        var asked = await RequestAsync(new RequestExtensionCommand(task.Id, 2, "  需现场核查  ", reviewer));
        Assert.Equal("需现场核查", asked.Value!.Reason);

        var refusedWithoutReason = await DecideAsync(new DecideExtensionCommand(asked.Value.Id, Approve: false, null, " ", supervisor));
        var noDays = await DecideAsync(new DecideExtensionCommand(asked.Value.Id, Approve: true, 0, null, supervisor));
        var moreThanAsked = await DecideAsync(new DecideExtensionCommand(asked.Value.Id, Approve: true, 3, null, supervisor));
        Assert.Equal(["reason", "workingDays", "workingDays"],
            new[] { refusedWithoutReason, noDays, moreThanAsked }.Select(result => Assert.IsType<Refusal.Invalid>(result.Refusal).Field));
        Assert.Equal([asked.Value.Id], (await PendingAsync()).Select(p => p.Id));

        var granted = await DecideAsync(new DecideExtensionCommand(asked.Value.Id, Approve: true, null, "  同意  ", supervisor));
        Assert.Equal(("approved", 2, "同意"), (granted.Value!.State, granted.Value.GrantedDays, granted.Value.DecisionReason));
    }

    [Fact]
    public async Task An_extension_request_wrong_in_its_days_and_its_reason_names_both_in_one_answer()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);

        var both = await RequestExtensionAsync(task.Id, 0, "  ");
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(["reason", "workingDays"], FieldsOf(await ApiClient.ProblemAsync(both)));
        Assert.Empty(await PendingAsync());

        Assert.Equal(HttpStatusCode.Created, (await RequestExtensionAsync(task.Id, 2, "需现场核查")).StatusCode);
        var request = Assert.Single(await PendingAsync());
        var approval = await _api.As(Staff.Supervisor).PostAsJsonAsync($"/api/supervision/extension-requests/{request.Id}/approve",
            new { workingDays = 0, reason = new string('理', RequestExtension.MaxReasonLength + 1) });
        Assert.Equal(HttpStatusCode.BadRequest, approval.StatusCode);
        Assert.Equal(["reason", "workingDays"], FieldsOf(await ApiClient.ProblemAsync(approval)));
        Assert.Equal([request.Id], (await PendingAsync()).Select(p => p.Id));
    }

    private static string[] FieldsOf(JsonElement problem) =>
        [.. problem.GetProperty("errors").EnumerateObject().Select(field => field.Name).Order(StringComparer.Ordinal)];

    private async Task<CommandResult<ExtensionRequest>> RequestAsync(RequestExtensionCommand command)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RequestExtension>().HandleAsync(command, CancellationToken.None);
    }

    private async Task<CommandResult<ExtensionRequest>> DecideAsync(DecideExtensionCommand command)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DecideExtension>().HandleAsync(command, CancellationToken.None);
    }

    private Task<HttpResponseMessage> RequestExtensionAsync(Guid taskId, object? workingDays, string reason) =>
        _api.Reviewer("household-registration").PostAsJsonAsync($"/api/tasks/{taskId}/extension-requests", new { workingDays, reason });

    private async Task<IReadOnlyList<ExtensionRequestResponse>> PendingAsync() =>
        (await _api.As(Staff.Supervisor).GetFromJsonAsync<ExtensionRequestPage>("/api/supervision/extension-requests", OneThingJson.Options))!.Items;

    private async Task<List<JsonElement>> AuditAsync(string action) =>
        (await _api.As(Staff.Supervisor).GetFromJsonAsync<JsonElement>($"/api/audit?action={action}")).GetProperty("items").EnumerateArray().ToList();

    private async Task<string?> HouseholdLightAsync(Guid caseId) =>
        ApiClient.Step(await _api.GetCaseAsync(caseId), "household").Deadline.Light;
}
