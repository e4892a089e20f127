using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class EnterpriseOpeningTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string CreditCode = "91330205MA2H7K8L1N";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_licence_issues_the_credit_code_then_seals_tax_and_every_employer_registration_run_in_parallel_within_one_office_day()
    {
        var filed = await _api.FileAsync("enterprise-opening", ApiClient.EnterpriseOpeningForm());
        // 7 work hours from Tuesday 10:00: 2 h before lunch, 4 h in the afternoon, 1 h on Wednesday morning.
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 9, 30, 0, TimeSpan.FromHours(8)), filed.Deadline.DueAt);
        var licence = await _api.WaitForTaskAsync("market-regulation", filed.Id);
        Assert.Equal(["creditCode"], licence.Provides);

        var withoutCode = await _api.ApproveAsync(licence.Id);
        var badCode = await _api.ApproveWithAsync(licence.Id, null, new { creditCode = "91330205MA2H7K8L1A" });
        Assert.Equal(HttpStatusCode.BadRequest, withoutCode.StatusCode);
        Assert.Contains("creditCode", (await ApiClient.ProblemAsync(withoutCode)).GetRawText());
        Assert.Equal(HttpStatusCode.BadRequest, badCode.StatusCode);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(licence.Id, null, new { creditCode = CreditCode }));

        var engraving = await _api.WaitForStepAsync("seal-engraver", filed.Id, "seal-engraving");
        var tax = await _api.WaitForStepAsync("tax", filed.Id, "new-taxpayer");
        Assert.Equal("宁波江北诚信刻章有限公司", engraving.Fields.GetProperty("sealEngraver").GetString());
        Assert.Equal(CreditCode, tax.Fields.GetProperty("creditCode").GetString());
        Assert.Equal("ordinary", tax.Fields.GetProperty("invoiceTypes").GetString());
        Assert.False(tax.Fields.TryGetProperty("legalRepresentativeIdNumber", out _));
        // Social insurance, medical insurance and the housing fund are department systems that register every new employer by themselves.
        var registered = await _api.WaitForCaseAsync(filed.Id, c => new[] { "social-insurance", "medical-insurance", "housing-fund" }
            .All(step => ApiClient.Step(c, step).State == "approved"), "the employer registrations to finish");
        Assert.Equal("waiting", ApiClient.Step(registered, "bank-account").State);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(engraving.Id, "公章、财务专用章、发票专用章已刻制"));
        await _api.WaitForCaseAsync(filed.Id, c => ApiClient.Step(c, "seal-record").State == "approved", "public security to record the seals");
        var bank = await _api.WaitForStepAsync("bank", filed.Id, "bank-account");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(tax.Id, "新办纳税人信息已确认，票种已核定，发票已领用"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(bank.Id, "已开户，印鉴已预留"));

        var done = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the start-up to complete");
        Assert.Equal(CreditCode, done.Form.GetProperty("creditCode").GetString());
        var told = Assert.Single(done.Notifications);
        Assert.Equal("applicant", told.Recipient);
        Assert.Equal("138****5678", told.Address);
    }

    [Fact]
    public async Task A_case_filed_late_on_friday_falls_due_within_the_office_hours_of_the_next_working_day()
    {
        _clock.Set(new DateTimeOffset(2026, 3, 13, 16, 0, 0, TimeSpan.FromHours(8)));

        var filed = await _api.FileAsync("enterprise-opening", ApiClient.EnterpriseOpeningForm());

        // 1.5 h on Friday, 3.5 h on Monday morning, 2 h after lunch: 15:30 on Monday 16 March, not Saturday.
        Assert.Equal(new DateTimeOffset(2026, 3, 16, 15, 30, 0, TimeSpan.FromHours(8)), filed.Deadline.DueAt);
        var licence = ApiClient.Step(filed, "business-licence");
        // Its 2 work hours: the last half hour of Friday and the first of Monday.
        Assert.Equal(new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.FromHours(8)), licence.Deadline.DueAt);
    }

    [Fact]
    public async Task A_refused_licence_ends_the_start_up_before_any_other_department_is_asked()
    {
        var filed = await _api.FileAsync("enterprise-opening", ApiClient.EnterpriseOpeningForm());
        var licence = await _api.WaitForTaskAsync("market-regulation", filed.Id);

        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RejectAsync(licence.Id, "企业名称与在先登记名称近似，不予登记"));

        var refused = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "rejected", "the start-up to be refused");
        Assert.Equal(1, refused.History.Count(h => h.Type == "task-dispatched"));
        Assert.All(refused.Steps.Where(s => s.StepId != "business-licence"), s => Assert.NotEqual("approved", s.State));
        Assert.Empty(await _api.InboxAsync("seal-engraver"));
    }

    [Fact]
    public async Task A_bank_that_declines_the_account_does_not_hold_up_the_start_up()
    {
        var filed = await _api.FileAsync("enterprise-opening", ApiClient.EnterpriseOpeningForm());
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.ApproveWithAsync((await _api.WaitForTaskAsync("market-regulation", filed.Id)).Id, null, new { creditCode = CreditCode }));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync("seal-engraver", filed.Id, "seal-engraving")).Id));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync("tax", filed.Id, "new-taxpayer")).Id));

        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.RejectAsync((await _api.WaitForStepAsync("bank", filed.Id, "bank-account")).Id, "法定代表人未到场核实意愿，请另行预约"));

        var done = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the start-up to complete without the account");
        Assert.Equal("rejected", ApiClient.Step(done, "bank-account").State);
        Assert.Equal("tell-applicant", Assert.Single(done.Notifications).StepId);
    }

    [Fact]
    public async Task A_supplement_stops_the_licence_clock_and_the_same_reviewer_resumes_with_the_deadline_moved_on()
    {
        var filed = await _api.FileAsync("enterprise-opening", ApiClient.EnterpriseOpeningForm());
        var licence = await _api.WaitForTaskAsync("market-regulation", filed.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ClaimAsync(licence.Id));
        var dueBefore = ApiClient.Step(await _api.GetCaseAsync(filed.Id), "business-licence").Deadline.DueAt;

        _clock.Set(CatalogueHost.WorkingMorning.AddHours(1));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RequestSupplementAsync(licence.Id, "住所证明与申报地址不一致，请补充租赁合同"));
        var waiting = await _api.GetCaseAsync(filed.Id);
        Assert.True(waiting.AwaitingSupplement);
        Assert.Equal("awaiting-supplement", ApiClient.Step(waiting, "business-licence").TaskState);
        Assert.True(ApiClient.Step(waiting, "business-licence").Deadline.Paused);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.ApproveWithAsync(licence.Id, null, new { creditCode = CreditCode })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.RequestSupplementAsync(licence.Id, "再补充一次")).StatusCode);

        // 14:00 the same day: 1.5 working hours passed while the clock stood still (11:00-12:00 and 13:30-14:00).
        _clock.Set(new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.FromHours(8)));
        var leaseContract = await _api.UploadedAsync("租赁合同.pdf", "application/pdf", SampleFiles.Of("application/pdf", 420_000));
        var submitted = await ApiClient.CaseOf(await _api.SubmitSupplementAsync(filed.Id, new
        {
            form = new { registeredAddress = "宁波市江北区长兴路689弄21号3楼" },
            attachments = new[] { new { attachmentId = leaseContract } },
            note = "已补充租赁合同",
        }), HttpStatusCode.OK);

        var resumed = ApiClient.Step(submitted, "business-licence");
        Assert.False(submitted.AwaitingSupplement);
        Assert.Equal("claimed", resumed.TaskState);
        Assert.Equal("reviewer.market-regulation", resumed.Assignee);
        Assert.Equal(licence.Id, resumed.TaskId);
        Assert.Equal(5400, resumed.Deadline.PausedSeconds);
        // The 2-hour licence was due at 12:00; 1.5 paused working hours carry it over the lunch break to 15:00.
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.FromHours(8)), dueBefore);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.FromHours(8)), resumed.Deadline.DueAt);
        Assert.Equal("宁波市江北区长兴路689弄21号3楼", submitted.Form.GetProperty("registeredAddress").GetString());
        Assert.Equal(
            ["supplement-requested", "supplement-submitted", "task-resumed"],
            submitted.History.Where(h => h.Type.StartsWith("supplement") || h.Type == "task-resumed").Select(h => h.Type));
        Assert.Equal("changed: registeredAddress; attachments: 1; 已补充租赁合同", submitted.History.Single(h => h.Type == "supplement-submitted").Detail);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.SubmitSupplementAsync(filed.Id, new { note = "again", form = new { } })).StatusCode);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(licence.Id, null, new { creditCode = CreditCode }));
    }
}
