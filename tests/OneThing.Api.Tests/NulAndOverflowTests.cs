using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>
/// Input PostgreSQL would refuse (a NUL character in text, a row offset past its integer range) is refused by the API
/// first, as a problem that says what to fix, never a 500.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class NulAndOverflowTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_filing_with_a_NUL_character_in_the_form_is_refused_and_files_nothing()
    {
        var form = await _api.IdentityChangeFormAsync();
        form["newName"] = "张\0明远";

        var response = await _api.PostCaseAsync(new { workflowId = "identity-change", form });

        await ExpectNulRefusalAsync(response);
        Assert.Equal(0, (await _api.Http.GetFromJsonAsync<Cases.CasePage>("/api/cases", Processing.OneThingJson.Options))!.Total);
    }

    [Fact]
    public async Task A_supplement_with_a_NUL_character_is_refused_and_the_case_keeps_waiting()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var reviewer = await _api.ReviewerOfAsync(task.Id);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, reviewer.PostAsJsonAsync($"/api/tasks/{task.Id}/request-supplement", new { message = "请补充户口本" }));
        var waiting = ApiClient.Step(await _api.GetCaseAsync(filed.Id), "household");

        await ExpectNulRefusalAsync(await _api.SubmitSupplementAsync(filed.Id, new { form = new { newName = "张\0明远" } }));
        await ExpectNulRefusalAsync(await _api.SubmitSupplementAsync(filed.Id, new { note = "已\0补充", form = new { newName = "张明远" } }));

        Assert.Equal(waiting.TaskState, ApiClient.Step(await _api.GetCaseAsync(filed.Id), "household").TaskState);
    }

    [Fact]
    public async Task An_incident_report_with_a_NUL_character_is_refused()
    {
        await ExpectNulRefusalAsync(await _api.ReportAsync("fire-lane-blocked", new { place = "幸福路\01 号" }));
        await ExpectNulRefusalAsync(await _api.ReportAsync("fire-lane-blocked", new { place = "幸福路 1 号" }, source: "sensor\0-1"));
    }

    [Fact]
    public async Task A_sign_in_with_a_NUL_character_in_the_user_name_is_refused()
    {
        var response = await _host.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName = "clerk\0", password = Staff.DemoPassword });

        await ExpectNulRefusalAsync(response);
    }

    [Theory]
    [InlineData("/api/cases?workflowId=identity%00change", Staff.Clerk)]
    [InlineData("/api/audit?actor=clerk%00", Staff.Supervisor)]
    [InlineData("/api/supervision/breaches?department=education%00", Staff.Supervisor)]
    [InlineData("/api/public/cases/YJS-2026-000001?phoneLast4=56%0078", null)]
    public async Task A_NUL_character_in_a_query_string_is_refused(string url, string? userName)
    {
        var client = userName is null ? _host.CreateClient() : _api.As(userName);

        await ExpectNulRefusalAsync(await client.GetAsync(url));
    }

    [Theory]
    [InlineData("/api/cases?page=2147483647", Staff.Clerk)]
    [InlineData("/api/cases?page=2147483647&pageSize=200", Staff.Clerk)]
    [InlineData("/api/audit?page=2147483647&pageSize=500", Staff.Supervisor)]
    [InlineData("/api/supervision/breaches?page=2147483647", Staff.Supervisor)]
    [InlineData("/api/supervision/notifications?page=2147483647", Staff.Supervisor)]
    [InlineData("/api/cases?page=99999999999", Staff.Clerk)]
    [InlineData("/api/audit?from=2026-02-30", Staff.Supervisor)]
    [InlineData("/api/audit?to=9999-99-99T00:00:00Z", Staff.Supervisor)]
    public async Task A_page_number_or_date_the_database_cannot_take_is_refused_with_a_problem_naming_the_parameter(string url, string userName)
    {
        var response = await _api.As(userName).GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiClient.ProblemAsync(response);
        var parameter = url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..url.IndexOf('=', StringComparison.Ordinal)];
        Assert.Contains(parameter, problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Texts(problem), text => text.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_last_page_number_allowed_answers_an_empty_page()
    {
        var page = await _api.Http.GetFromJsonAsync<Cases.CasePage>("/api/cases?page=100000&pageSize=200", Processing.OneThingJson.Options);

        Assert.Empty(page!.Items);
    }

    private static async Task ExpectNulRefusalAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiClient.ProblemAsync(response);
        Assert.Contains(Texts(problem), text => text.Contains("U+0000", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Texts(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Texts(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Texts),
        _ => [],
    };
}
