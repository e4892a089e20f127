using System.Net;
using System.Net.Http.Json;
using System.Text;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class BadInputTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json") =>
        _api.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    [Fact]
    public async Task Malformed_json_is_refused_with_a_problem_that_says_so()
    {
        var response = await PostRawAsync("/api/cases", """{ "workflowId": "identity-change", "form": { "name": """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid JSON", (await ApiClient.ProblemAsync(response)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        var response = await PostRawAsync("/api/cases", "workflowId=identity-change", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await ApiClient.ProblemAsync(response);
    }

    [Fact]
    public async Task An_unknown_workflow_is_refused_naming_the_workflow()
    {
        var response = await _api.PostCaseAsync(new { workflowId = "renaming-a-cat", form = await _api.IdentityChangeFormAsync() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiClient.ProblemAsync(response);
        Assert.Contains("renaming-a-cat", problem.GetProperty("errors").GetProperty("workflowId")[0].GetString());
    }

    [Fact]
    public async Task Missing_and_mistyped_form_fields_are_each_named_in_chinese_and_english()
    {
        var form = await _api.IdentityChangeFormAsync();
        form.Remove("newName");
        form["hasSchoolAgeChild"] = "yes";
        form["idNumber"] = "110105194912310021";
        form["phone"] = "12345";

        var response = await _api.PostCaseAsync(new { workflowId = "identity-change", form });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ApiClient.ProblemAsync(response);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "form.newName", "form.hasSchoolAgeChild", "form.idNumber", "form.phone" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {problem}");
        }

        var idError = problem.GetProperty("fieldErrors").EnumerateArray().Single(e => e.GetProperty("field").GetString() == "idNumber");
        Assert.False(string.IsNullOrWhiteSpace(idError.GetProperty("messageZh").GetString()));
        Assert.DoesNotContain("110105194912310021", problem.ToString());
        Assert.Equal(0, (await _api.Http.GetFromJsonAsync<Cases.CasePage>("/api/cases", Processing.OneThingJson.Options))!.Total);
    }

    [Fact]
    public async Task A_request_without_workflow_or_form_is_refused()
    {
        var response = await PostRawAsync("/api/cases", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ApiClient.ProblemAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("workflowId", out _));
        Assert.True(errors.TryGetProperty("form", out _));
    }

    [Fact]
    public async Task An_oversize_body_is_refused_with_413()
    {
        var huge = new string('张', 600_000);
        var response = await _api.PostCaseAsync(new { workflowId = "identity-change", form = new { name = huge } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await ApiClient.ProblemAsync(response);
    }

    [Theory]
    [InlineData("GET", "/api/cases/4b0f1f9e-3d3c-4b7e-9a51-2f0c6f1f0a11", Staff.Clerk)]
    [InlineData("GET", "/api/cases/not-a-case-id", Staff.Clerk)]
    [InlineData("GET", "/api/workflows/no-such-thing", Staff.Clerk)]
    [InlineData("GET", "/api/departments/no-such-department/tasks", Staff.Supervisor)]
    [InlineData("POST", "/api/tasks/4b0f1f9e-3d3c-4b7e-9a51-2f0c6f1f0a11/approve", "reviewer.education")]
    [InlineData("POST", "/api/tasks/4b0f1f9e-3d3c-4b7e-9a51-2f0c6f1f0a11/claim", "reviewer.education")]
    public async Task Unknown_ids_answer_404_with_a_problem(string method, string path, string userName)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { comment = "ok" });
        }

        var response = await _api.As(userName).SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await ApiClient.ProblemAsync(response);
    }

    [Theory]
    [InlineData("/api/cases?status=finished")]
    [InlineData("/api/cases?page=0")]
    [InlineData("/api/cases?pageSize=5000")]
    [InlineData("/api/cases?page=abc")]
    [InlineData("/api/departments/education/tasks?status=whatever")]
    public async Task Bad_query_parameters_answer_400_with_a_problem(string path)
    {
        var response = await _api.As(path.Contains("tasks") ? Staff.Supervisor : Staff.Clerk).GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await ApiClient.ProblemAsync(response);
    }

    [Fact]
    public async Task A_rejection_without_a_reason_is_refused()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var task = await _api.WaitForTaskAsync("household-registration", filed.Id);

        var response = await _api.Reviewer("household-registration").PostAsJsonAsync($"/api/tasks/{task.Id}/reject", new { reason = "  " });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(response)).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal("running", (await _api.GetCaseAsync(filed.Id)).Status);
    }
}
