using System.Net;
using System.Net.Http.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>Least data on the case page: a reviewer reads their own department's comments, not the other departments'.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ReviewerCommentScopingTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string HouseholdComment = "户籍核对无误，同意办理";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _host = new OneThingHost(await postgres.CreateDatabaseAsync());
        _api = new ApiClient(_host);
        await _host.ResetDataAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_case_page_shows_a_reviewer_only_their_own_departments_comments()
    {
        var filed = await _api.FileIdentityChangeAsync(hasSchoolAgeChild: false);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForTaskAsync("household-registration", filed.Id)).Id, HouseholdComment));
        await _api.WaitForTaskAsync("social-security", filed.Id);

        var otherDepartment = await CasePageAsync(Staff.Reviewer("social-security"), filed.Id);
        var ownDepartment = await CasePageAsync(Staff.Reviewer("household-registration"), filed.Id);
        var supervisor = await CasePageAsync(Staff.Supervisor, filed.Id);

        Assert.Contains(filed.CaseNumber, otherDepartment);
        Assert.DoesNotContain(HouseholdComment, otherDepartment);
        Assert.Contains(HouseholdComment, ownDepartment);
        Assert.Contains(HouseholdComment, supervisor);
    }

    /// <summary>The page as the server renders it for a browser signed in with the session cookie.</summary>
    private async Task<string> CasePageAsync(string userName, Guid caseId)
    {
        var browser = _host.CreateClient();
        var login = await browser.PostAsJsonAsync("/api/auth/login?useCookies=true", new { userName, password = Staff.DemoPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var page = await browser.GetAsync($"/cases/{caseId}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // Razor writes characters outside ASCII as entities.
        return WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
    }
}
