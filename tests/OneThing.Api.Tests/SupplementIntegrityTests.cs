using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Accounts;
using OneThing.Api.Cases;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing;

namespace OneThing.Api.Tests;

/// <summary>
/// A supplement or withdrawal comes from the filing clerk or a clerk of the same service hall, changes only what that
/// clerk sees in full, never writes a masked value back and never touches the fields a department provides.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SupplementIntegrityTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Colleague = "clerk.colleague";
    private const string OtherHall = "clerk.other-hall";
    private const string NoHall = "clerk.no-hall";
    private const string CreditCode = "91330205MA2H7K8L1N";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        (_host, _api, _) = await catalogue.StartTestAsync();
        await CreateClerkAsync(Colleague, DemoAccountSeeder.DemoHall);
        await CreateClerkAsync(OtherHall, "another-hall");
        await CreateClerkAsync(NoHall, hall: null);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_hall_colleague_who_sends_the_masked_form_back_is_refused_and_the_real_values_stay()
    {
        var filed = await FileAwaitingSupplementAsync();
        var seen = await CaseAsAsync(Colleague, filed.Id);
        Assert.True(seen.FormMasked);
        Assert.Equal("李**", seen.Form.GetProperty("legalRepresentative").GetString());

        var sentBack = await SupplementAsAsync(Colleague, filed.Id, new { form = seen.Form });

        Assert.Equal(HttpStatusCode.BadRequest, sentBack.StatusCode);
        var problem = (await ApiClient.ProblemAsync(sentBack)).GetProperty("errors");
        foreach (var field in new[] { "legalRepresentative", "legalRepresentativeIdNumber", "phone" })
        {
            Assert.True(problem.TryGetProperty($"form.{field}", out _), $"the problem names {field}: {problem}");
        }

        var stored = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("李海燕", stored.Form.GetProperty("legalRepresentative").GetString());
        Assert.Equal("11010519491231002X", stored.Form.GetProperty("legalRepresentativeIdNumber").GetString());
        Assert.Equal("13812345678", stored.Form.GetProperty("phone").GetString());
        Assert.True(stored.AwaitingSupplement);
        var refused = Assert.Single(await AuditAsync($"action=case-change-refused&targetId={filed.Id}"));
        Assert.Equal(Colleague, refused.GetProperty("actor").GetString());
        Assert.DoesNotContain("李", refused.ToString());
    }

    [Fact]
    public async Task A_hall_colleague_changes_the_fields_they_see_in_full_and_the_supplement_is_audited_for_the_filer()
    {
        var filed = await FileAwaitingSupplementAsync();

        var supplemented = await SupplementAsAsync(Colleague, filed.Id,
            new { form = new { registeredAddress = "宁波市江北区长兴路689弄22号" }, note = "补充租赁合同" });

        await ApiClient.ExpectAsync(HttpStatusCode.OK, Task.FromResult(supplemented));
        var stored = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("宁波市江北区长兴路689弄22号", stored.Form.GetProperty("registeredAddress").GetString());
        Assert.Equal("李海燕", stored.Form.GetProperty("legalRepresentative").GetString());
        var audited = Assert.Single(await AuditAsync($"action=supplement-submitted&targetId={filed.Id}"));
        Assert.Equal(Colleague, audited.GetProperty("actor").GetString());
        Assert.Contains($"for {Staff.Clerk} (same service hall)", audited.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_hall_colleague_may_not_change_a_personal_field_even_to_a_new_value()
    {
        var filed = await FileAwaitingSupplementAsync();

        var response = await SupplementAsAsync(Colleague, filed.Id, new { form = new { legalRepresentative = "王建国" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(response)).GetProperty("errors").TryGetProperty("form.legalRepresentative", out _));
        Assert.Equal("李海燕", (await _api.GetCaseAsync(filed.Id)).Form.GetProperty("legalRepresentative").GetString());
    }

    [Fact]
    public async Task The_filing_clerk_cannot_overwrite_a_value_with_its_masked_form()
    {
        var filed = await FileAwaitingSupplementAsync();

        var response = await _api.SubmitSupplementAsync(filed.Id, new { form = new { legalRepresentative = "李**", phone = "138****5678" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ApiClient.ProblemAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("form.legalRepresentative", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("form.phone", out _), errors.ToString());
        var stored = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("李海燕", stored.Form.GetProperty("legalRepresentative").GetString());
        Assert.Equal("13812345678", stored.Form.GetProperty("phone").GetString());
    }

    [Theory]
    [InlineData(OtherHall)]
    [InlineData(NoHall)]
    public async Task A_clerk_of_another_hall_or_of_none_may_neither_supplement_nor_withdraw_and_is_audited(string stranger)
    {
        var filed = await FileAwaitingSupplementAsync();

        var supplement = await SupplementAsAsync(stranger, filed.Id, new { form = new { registeredAddress = "别处" } });
        var withdrawal = await _api.As(stranger).PostAsJsonAsync($"/api/cases/{filed.Id}/withdraw", new { reason = "申请人自行撤回" });

        Assert.Equal(HttpStatusCode.Forbidden, supplement.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withdrawal.StatusCode);
        await ApiClient.ProblemAsync(supplement);
        await ApiClient.ProblemAsync(withdrawal);
        var stored = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("宁波市江北区长兴路689弄21号", stored.Form.GetProperty("registeredAddress").GetString());
        Assert.NotEqual("withdrawn", stored.Status);
        var refused = await AuditAsync($"action=case-change-refused&targetId={filed.Id}");
        Assert.Equal(2, refused.Count(e => e.GetProperty("actor").GetString() == stranger));
    }

    [Fact]
    public async Task A_hall_colleague_may_withdraw_a_case_and_the_withdrawal_is_audited_for_the_filer()
    {
        var filed = await _api.FileAsync("enterprise-opening", ApiClient.EnterpriseOpeningForm());

        var withdrawn = await _api.As(Colleague).PostAsJsonAsync($"/api/cases/{filed.Id}/withdraw", new { reason = "申请人自行撤回" });

        Assert.Equal("withdrawn", (await ApiClient.CaseOf(withdrawn, HttpStatusCode.OK)).Status);
        var audited = Assert.Single(await AuditAsync($"action=case-withdrawn&targetId={filed.Id}"));
        Assert.Equal(Colleague, audited.GetProperty("actor").GetString());
        Assert.Contains("same service hall", audited.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_clerk_cannot_set_the_credit_code_a_department_provides_at_filing()
    {
        var form = ApiClient.EnterpriseOpeningForm();
        form["creditCode"] = CreditCode;

        var response = await _api.PostCaseAsync(new { workflowId = "enterprise-opening", form });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(response)).GetProperty("errors").TryGetProperty("form.creditCode", out _));
        Assert.Equal(0, await _host.WithDbAsync(db => Task.FromResult(db.Cases.Count())));
    }

    [Fact]
    public async Task A_clerk_can_neither_set_nor_erase_the_credit_code_in_a_supplement_and_only_the_licence_reviewer_sets_it()
    {
        var filed = await _api.FileAsync("enterprise-opening", ApiClient.EnterpriseOpeningForm());
        var licence = await _api.WaitForTaskAsync("market-regulation", filed.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(licence.Id, null, new { creditCode = CreditCode }));
        var tax = await _api.WaitForTaskAsync("tax", filed.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RequestSupplementAsync(tax.Id, "请补充财务负责人信息"));

        var set = await _api.SubmitSupplementAsync(filed.Id, new { form = new { creditCode = "91330205MA2J0N4P6L" } });
        var erased = await _api.SubmitSupplementAsync(filed.Id, new { form = new Dictionary<string, object?> { ["creditCode"] = null } });

        Assert.Equal(HttpStatusCode.BadRequest, set.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, erased.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(set)).GetProperty("errors").TryGetProperty("form.creditCode", out _));
        Assert.True((await ApiClient.ProblemAsync(erased)).GetProperty("errors").TryGetProperty("form.creditCode", out _));
        Assert.Equal(CreditCode, (await _api.GetCaseAsync(filed.Id)).Form.GetProperty("creditCode").GetString());
    }

    /// <summary>Filed by the demo clerk (hall <see cref="DemoAccountSeeder.DemoHall"/>); market regulation asks for a supplement.</summary>
    private async Task<CaseResponse> FileAwaitingSupplementAsync()
    {
        var filed = await _api.FileAsync("enterprise-opening", ApiClient.EnterpriseOpeningForm());
        var licence = await _api.WaitForTaskAsync("market-regulation", filed.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.RequestSupplementAsync(licence.Id, "住所证明与申报地址不一致，请补充租赁合同"));
        return filed;
    }

    private async Task CreateClerkAsync(string userName, string? hall)
    {
        var response = await _api.As(Staff.Admin).PostAsJsonAsync("/api/accounts",
            new { userName, password = Staff.DemoPassword, role = "clerk", hall });
        await ApiClient.ExpectAsync(HttpStatusCode.Created, Task.FromResult(response));
    }

    private Task<HttpResponseMessage> SupplementAsAsync(string clerk, Guid caseId, object body) =>
        _api.As(clerk).PostAsJsonAsync($"/api/cases/{caseId}/supplements", body);

    private async Task<CaseResponse> CaseAsAsync(string clerk, Guid caseId) =>
        (await _api.As(clerk).GetFromJsonAsync<CaseResponse>($"/api/cases/{caseId}", OneThingJson.Options))!;

    private async Task<List<JsonElement>> AuditAsync(string query) =>
        (await _api.As(Staff.Supervisor).GetFromJsonAsync<JsonElement>($"/api/audit?{query}&pageSize=500"))
            .GetProperty("items").EnumerateArray().ToList();
}
