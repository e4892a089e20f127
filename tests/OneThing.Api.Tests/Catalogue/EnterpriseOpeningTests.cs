using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class EnterpriseOpeningTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string CreditCode = "91330205MA2H7K8L1N";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync() => (_host, _api, _clock) = await CatalogueHost.StartAsync(postgres);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_licence_issues_the_credit_code_and_every_later_department_works_with_it_in_parallel()
    {
        var filed = await _api.FileAsync("enterprise-opening", ApiClient.EnterpriseOpeningForm());
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 17, 30, 0, TimeSpan.FromHours(8)), filed.Deadline.DueAt);
        var licence = await _api.WaitForTaskAsync("market-regulation", filed.Id);
        Assert.Equal(["creditCode"], licence.Provides);

        var withoutCode = await _api.ApproveAsync(licence.Id);
        var badCode = await _api.ApproveWithAsync(licence.Id, null, new { creditCode = "91330205MA2H7K8L1A" });
        Assert.Equal(HttpStatusCode.BadRequest, withoutCode.StatusCode);
        Assert.Contains("creditCode", (await ApiClient.ProblemAsync(withoutCode)).GetRawText());
        Assert.Equal(HttpStatusCode.BadRequest, badCode.StatusCode);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(licence.Id, null, new { creditCode = CreditCode }));

        var tax = await _api.WaitForTaskAsync("tax", filed.Id);
        var bank = await _api.WaitForTaskAsync("bank", filed.Id);
        Assert.Equal(CreditCode, tax.Fields.GetProperty("creditCode").GetString());
        Assert.False(tax.Fields.TryGetProperty("legalRepresentativeIdNumber", out _));
        // Seal engraving, social insurance and housing fund are department systems that answer by themselves.
        await _api.WaitForCaseAsync(filed.Id, c => new[] { "seal-engraving", "social-insurance", "housing-fund" }
            .All(step => ApiClient.Step(c, step).State == "approved"), "the department systems to finish");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(tax.Id, "已完成税务登记，发票已申领"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(bank.Id, "已预约开户"));

        var done = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the start-up to complete");
        Assert.Equal(CreditCode, done.Form.GetProperty("creditCode").GetString());
        var told = Assert.Single(done.Notifications);
        Assert.Equal("applicant", told.Recipient);
        Assert.Equal("138****5678", told.Address);
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
        Assert.Equal(dueBefore!.Value.AddHours(1.5), resumed.Deadline.DueAt);
        Assert.Equal("宁波市江北区长兴路689弄21号3楼", submitted.Form.GetProperty("registeredAddress").GetString());
        Assert.Equal(
            ["supplement-requested", "supplement-submitted", "task-resumed"],
            submitted.History.Where(h => h.Type.StartsWith("supplement") || h.Type == "task-resumed").Select(h => h.Type));
        Assert.Equal("changed: registeredAddress; attachments: 1; 已补充租赁合同", submitted.History.Single(h => h.Type == "supplement-submitted").Detail);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.SubmitSupplementAsync(filed.Id, new { note = "again", form = new { } })).StatusCode);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(licence.Id, null, new { creditCode = CreditCode }));
    }
}
