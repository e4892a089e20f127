using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Contracts;
using OneThing.Contracts.Codes;
using OneThing.Processing.DepartmentTasks;

namespace OneThing.Api.Tests;

/// <summary>
/// People's own words (a withdrawal or rejection reason, a supplement request, a supervisor's urging, a department's
/// note) and names stay in PostgreSQL and are shown to those allowed; the bus, the outbox and the log carry codes.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class LeastDataOnTheBusTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_withdrawal_reason_naming_the_applicant_reaches_no_bus_message_outbox_row_or_log_line_but_stays_in_the_case_history()
    {
        const string reason = "申请人之女李秀英来电（13900001111）要求撤回";
        await using var run = await ObservedHost.StartAsync(postgres);
        var filed = await OpenTasksAfterHouseholdAsync(run);
        await run.Api.WaitForCaseAsync(filed, c => ApiClient.Step(c, "housing-fund").State == "approved", "the housing-fund system to complete");

        await ApiClient.ExpectAsync(HttpStatusCode.OK, run.Api.WithdrawAsync(filed, reason));

        var cancels = await run.WaitForMessagesAsync(nameof(CancelDepartmentTask), 4);
        Assert.All(cancels, cancel =>
        {
            Assert.Equal(CancelCauses.CaseWithdrawn, cancel.GetProperty("cause").GetString());
            Assert.Equal("case withdrawn", cancel.GetProperty("reason").GetString());
        });
        var history = (await run.Api.GetCaseAsync(filed)).History;
        Assert.Contains(history, h => h.Type == "case-withdrawn" && h.Detail!.Contains(reason));
        Assert.Equal(4, history.Count(h => h.Type == "task-cancelled" && h.Detail!.Contains(reason)));
        Assert.Equal(DepartmentAnswerText.Completed, ApiClient.Step(await run.Api.GetCaseAsync(filed), "housing-fund").Comment);
        await run.AssertNowhereAsync("李秀英", "13900001111");
    }

    [Fact]
    public async Task A_rejection_reason_and_a_supplement_request_stay_on_the_case_while_the_cancels_carry_only_their_cause()
    {
        const string supplement = "请李秀英补充户口簿复印件";
        const string rejection = "户口簿与身份证号码110105194912310021不符，经办人赵建国";
        await using var run = await ObservedHost.StartAsync(postgres);
        var filed = await OpenTasksAfterHouseholdAsync(run);
        await run.Api.WaitForCaseAsync(filed, c => ApiClient.Step(c, "housing-fund").State == "approved", "the housing-fund system to complete");
        var medical = await run.Api.WaitForTaskAsync("medical-insurance", filed);
        var social = await run.Api.WaitForTaskAsync("social-security", filed);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, run.Api.RequestSupplementAsync(medical.Id, supplement));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, run.Api.RejectAsync(social.Id, rejection));

        var cancels = await run.WaitForMessagesAsync(nameof(CancelDepartmentTask), 3);
        Assert.All(cancels, cancel => Assert.Equal(CancelCauses.CaseRejected, cancel.GetProperty("cause").GetString()));
        Assert.Contains(cancels, cancel => cancel.GetProperty("stepId").GetString() == "medical-insurance");
        var @case = await run.Api.GetCaseAsync(filed);
        Assert.Equal("rejected", @case.Status);
        Assert.Contains(@case.History, h => h.Type == "supplement-requested" && h.Detail!.Contains(supplement));
        Assert.Equal(rejection, ApiClient.Step(@case, "social-security").Comment);
        await run.AssertNowhereAsync("李秀英", "赵建国", "110105194912310021");
    }

    [Fact]
    public async Task An_urge_carries_the_fact_and_the_due_time_while_the_supervisors_words_and_name_stay_in_the_history()
    {
        const string words = "李秀英已多次来电，请今日办结";
        const string supervisor = "wang.xiaohong";
        await using var run = await ObservedHost.StartAsync(postgres);
        await run.Api.CreateAccountAsync(supervisor, "supervisor");
        var filed = await run.Api.FileIdentityChangeAsync();
        var household = await run.Api.WaitForTaskAsync("household-registration", filed.Id);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, run.Api.As(supervisor).PostAsJsonAsync($"/api/cases/{filed.Id}/urge", new { message = words }));

        var urge = Assert.Single(await run.WaitForMessagesAsync(nameof(UrgeDepartmentTask), 1));
        var dueAt = await run.Host.WithDbAsync(db => db.DepartmentTasks.Where(t => t.Id == household.Id).Select(t => t.DueAt).SingleAsync());
        Assert.Equal(household.Id, urge.GetProperty("taskId").GetGuid());
        Assert.Equal(UrgeTexts.Message, urge.GetProperty("message").GetString());
        Assert.Equal("supervisor", urge.GetProperty("urgedBy").GetString());
        Assert.Equal(dueAt, urge.GetProperty("dueAt").GetDateTimeOffset());
        Assert.True(urge.GetProperty("urgedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        var urged = Assert.Single((await run.Api.GetCaseAsync(filed.Id)).History, h => h.Type == "task-urged");
        Assert.Equal(supervisor, urged.Actor);
        Assert.Equal(words, urged.Detail);
        await run.AssertNowhereAsync("李秀英", "今日办结", supervisor);
    }

    [Fact]
    public async Task A_department_systems_rejection_is_shown_by_its_reason_code_and_an_old_senders_text_is_kept_on_the_case_but_never_logged()
    {
        const string legacyText = "李秀英的公积金账户已冻结，联系电话13900001111";
        await using var run = await ObservedHost.StartAsync(postgres, simulateDepartmentSystems: false);
        var coded = await OpenTasksAfterHouseholdAsync(run);
        var legacy = await OpenTasksAfterHouseholdAsync(run);
        var bus = run.Host.Services.GetRequiredService<IBus>();

        await bus.Publish(new DepartmentTaskRejected(await HousingFundTaskAsync(run, coded), coded, "housing-fund", "housing-fund",
            Reason: null, DateTimeOffset.UtcNow, RejectionReasonCodes.RecordNotFound));
        await bus.Publish(new DepartmentTaskRejected(await HousingFundTaskAsync(run, legacy), legacy, "housing-fund", "housing-fund",
            legacyText, DateTimeOffset.UtcNow, ReasonCode: null));

        var codedCase = await run.Api.WaitForCaseAsync(coded, c => c.Status == "rejected", "the coded rejection to reject the case");
        var legacyCase = await run.Api.WaitForCaseAsync(legacy, c => c.Status == "rejected", "the old sender's rejection to reject the case");
        Assert.Equal("[record-not-found] 部门系统未找到相关记录 / The department's system found no matching record",
            ApiClient.Step(codedCase, "housing-fund").Comment);
        Assert.Equal($"[other] 部门系统不予办理 / Declined by the department's system — 部门说明 / department's note: {legacyText}",
            ApiClient.Step(legacyCase, "housing-fund").Comment);
        var cancels = await run.WaitForMessagesAsync(nameof(CancelDepartmentTask), 8);
        Assert.All(cancels, cancel => Assert.Equal(CancelCauses.CaseRejected, cancel.GetProperty("cause").GetString()));

        var log = await run.StopAndReadLogAsync();
        Assert.Contains("sent free text in", log);
        ObservedHost.AssertNotIn(log, "李秀英", "13900001111");
    }

    private static async Task<Guid> OpenTasksAfterHouseholdAsync(ObservedHost run)
    {
        var filed = await run.Api.FileIdentityChangeAsync(hasSchoolAgeChild: true, ownsProperty: true);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, run.Api.ApproveAsync((await run.Api.WaitForTaskAsync("household-registration", filed.Id)).Id));
        await run.Api.WaitForTaskAsync("social-security", filed.Id);
        return filed.Id;
    }

    private static Task<Guid> HousingFundTaskAsync(ObservedHost run, Guid caseId) =>
        Eventually.MatchAsync(
            () => run.Host.WithDbAsync(db => db.DepartmentTasks.Where(t => t.CaseId == caseId && t.StepId == "housing-fund").Select(t => t.Id).ToListAsync()),
            ids => ids.Count == 1, "the housing-fund task to be dispatched").ContinueWith(t => t.Result.Single());
}
