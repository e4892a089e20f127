using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class EmployeeHiringTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync() => (_host, _api, _) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, object?> Hire(bool housingFund = true, string employeeId = "11010519491231002X") => new()
    {
        ["creditCode"] = "91330205MA2H7K8L1N",
        ["employeeName"] = "周晓雯",
        ["employeeId"] = employeeId,
        ["employeePhone"] = "13912345678",
        ["startDate"] = "2026-03-09",
        ["monthlyWage"] = 8500,
        ["housingFund"] = housingFund,
    };

    [Fact]
    public async Task One_filing_registers_the_employee_with_employment_insurance_housing_fund_and_tax_in_parallel()
    {
        var filed = await _api.FileAsync("employee-hiring", Hire());
        var housingFund = await _api.WaitForStepAsync("housing-fund", filed.Id, "housing-fund");
        Assert.False(housingFund.Fields.TryGetProperty("employeePhone", out _));
        await _api.WaitForCaseAsync(filed.Id, c => new[] { "employment-registration", "social-insurance", "medical-insurance", "tax-withholding" }
            .All(step => ApiClient.Step(c, step).State == "approved"), "the department systems to register the employee");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(housingFund.Id, "已设立个人账户"));

        var done = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the hiring to complete");
        Assert.Equal("sent", ApiClient.Step(done, "tell-employer").Outcome);
    }

    [Fact]
    public async Task Without_a_housing_fund_the_step_is_skipped_and_a_bad_id_number_is_refused_by_field()
    {
        var refused = await _api.PostCaseAsync(new { workflowId = "employee-hiring", form = Hire(employeeId: "110105194912310021") });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(refused)).GetProperty("errors").TryGetProperty("form.employeeId", out _));

        var filed = await _api.FileAsync("employee-hiring", Hire(housingFund: false));
        var done = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the hiring to complete without housing fund");
        Assert.Equal("skipped", ApiClient.Step(done, "housing-fund").State);
        Assert.Empty(await _api.InboxAsync("housing-fund"));
    }
}
