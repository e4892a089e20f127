using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class IdentityChangeTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync() => (_host, _api, _) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Dictionary<string, object?>> MinorRenamedAsync()
    {
        var form = await _api.IdentityChangeFormAsync(hasSchoolAgeChild: true, ownsProperty: false);
        form["hasHousingFundAccount"] = false;
        form["isMinor"] = true;
        form["guardianName"] = "张大山";
        form["guardianIdNumber"] = "11010519491231002X";
        form["guardianRelation"] = "father";
        return form;
    }

    [Fact]
    public async Task A_minor_renamed_by_the_father_reaches_household_registration_with_the_guardian_and_the_records_change_within_hours()
    {
        var filed = await _api.FileAsync("identity-change", await MinorRenamedAsync());

        var household = await _api.WaitForTaskAsync("household-registration", filed.Id);
        Assert.Equal("张大山", household.Fields.GetProperty("guardianName").GetString());
        Assert.Equal("father", household.Fields.GetProperty("guardianRelation").GetString());
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(household.Id));

        var school = await _api.WaitForTaskAsync("education", filed.Id);
        var social = await _api.WaitForTaskAsync("social-security", filed.Id);
        Assert.Equal("4 workhours", school.Deadline.Sla);
        Assert.Equal("4 workhours", social.Deadline.Sla);
        Assert.False(social.Fields.TryGetProperty("guardianName", out _));

        var running = await _api.GetCaseAsync(filed.Id);
        Assert.Equal("skipped", ApiClient.Step(running, "housing-fund").State);
        Assert.Equal("skipped", ApiClient.Step(running, "real-estate").State);
    }

    [Fact]
    public async Task A_minor_without_the_guardian_is_refused_naming_each_missing_guardian_field_and_nothing_is_filed()
    {
        var form = await MinorRenamedAsync();
        form.Remove("guardianName");
        form.Remove("guardianIdNumber");
        form.Remove("guardianRelation");

        var response = await _api.PostCaseAsync(new { workflowId = "identity-change", form });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiClient.ProblemAsync(response);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "form.guardianName", "form.guardianIdNumber", "form.guardianRelation" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {problem}");
        }

        Assert.Equal(0, (await _api.Http.GetFromJsonAsync<Cases.CasePage>("/api/cases", Processing.OneThingJson.Options))!.Total);
    }

    [Fact]
    public async Task Filing_without_the_photographed_application_form_is_refused_naming_the_field_and_nothing_is_filed()
    {
        var form = await _api.IdentityChangeFormAsync();
        form.Remove("applicationForm");

        var response = await _api.PostCaseAsync(new { workflowId = "identity-change", form });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await ApiClient.ProblemAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("form.applicationForm", out var messages), $"no error for form.applicationForm: {errors}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains("required", StringComparison.Ordinal));
        Assert.Equal(0, await _host.WithDbAsync(db => db.Cases.CountAsync()));
    }

    [Fact]
    public async Task An_adult_needs_no_guardian_and_a_housing_fund_account_holder_gets_the_housing_fund_record_changed()
    {
        var filed = await _api.FileAsync("identity-change", await _api.IdentityChangeFormAsync(hasSchoolAgeChild: false, ownsProperty: false));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForTaskAsync("household-registration", filed.Id)).Id));

        var changed = await _api.WaitForCaseAsync(filed.Id, c => ApiClient.Step(c, "housing-fund").State == "approved", "the housing fund system to answer");
        Assert.Equal("approved", ApiClient.Step(changed, "housing-fund").Outcome);
    }
}
