using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Cases;
using OneThing.Api.DepartmentTasks;
using OneThing.Processing;

namespace OneThing.Api.Tests.Infrastructure;

/// <summary>What a clerk and the reviewers do, as HTTP calls.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public static Dictionary<string, object?> IdentityChangeForm(bool hasSchoolAgeChild = true, bool ownsProperty = true) => new()
    {
        ["name"] = "张小明",
        ["idNumber"] = "11010519491231002X",
        ["phone"] = "13812345678",
        ["newName"] = "张明远",
        ["hasSchoolAgeChild"] = hasSchoolAgeChild,
        ["ownsProperty"] = ownsProperty,
    };

    public Task<HttpResponseMessage> PostCaseAsync(object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request);
    }

    public async Task<CaseResponse> FileIdentityChangeAsync(bool hasSchoolAgeChild = true, bool ownsProperty = true)
    {
        var response = await PostCaseAsync(new { workflowId = "identity-change", form = IdentityChangeForm(hasSchoolAgeChild, ownsProperty) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CaseResponse>(OneThingJson.Options))!;
    }

    public async Task<CaseResponse> GetCaseAsync(Guid id) =>
        (await Http.GetFromJsonAsync<CaseResponse>($"/api/cases/{id}", OneThingJson.Options))!;

    public async Task<IReadOnlyList<DepartmentTaskResponse>> InboxAsync(string department, string? status = null) =>
        (await Http.GetFromJsonAsync<List<DepartmentTaskResponse>>(
            $"/api/departments/{department}/tasks{(status is null ? "" : $"?status={status}")}", OneThingJson.Options))!;

    public Task<DepartmentTaskResponse> WaitForTaskAsync(string department, Guid caseId) =>
        Eventually.MatchAsync(() => InboxAsync(department), tasks => tasks.Any(t => t.CaseId == caseId), $"a task in {department}'s inbox")
            .ContinueWith(t => t.Result.Single(task => task.CaseId == caseId));

    public Task<CaseResponse> WaitForCaseAsync(Guid caseId, Func<CaseResponse, bool> condition, string what) =>
        Eventually.MatchAsync(() => GetCaseAsync(caseId), condition, what);

    public Task<HttpResponseMessage> ApproveAsync(Guid taskId, string comment = "材料齐全，同意") =>
        Http.PostAsJsonAsync($"/api/tasks/{taskId}/approve", new { comment });

    public Task<HttpResponseMessage> RejectAsync(Guid taskId, string reason) =>
        Http.PostAsJsonAsync($"/api/tasks/{taskId}/reject", new { reason });

    public Task<HttpResponseMessage> ApproveWithAsync(Guid taskId, string? outcome, object? form = null, string comment = "已处置") =>
        Http.PostAsJsonAsync($"/api/tasks/{taskId}/approve", new { comment, outcome, form });

    public Task<HttpResponseMessage> ClaimAsync(Guid taskId, string assignee) =>
        Http.PostAsJsonAsync($"/api/tasks/{taskId}/claim", new { assignee });

    public Task<HttpResponseMessage> RequestSupplementAsync(Guid taskId, string message) =>
        Http.PostAsJsonAsync($"/api/tasks/{taskId}/request-supplement", new { message });

    public Task<HttpResponseMessage> SubmitSupplementAsync(Guid caseId, object body) =>
        Http.PostAsJsonAsync($"/api/cases/{caseId}/supplements", body);

    public Task<HttpResponseMessage> WithdrawAsync(Guid caseId, string reason) =>
        Http.PostAsJsonAsync($"/api/cases/{caseId}/withdraw", new { reason });

    public Task<HttpResponseMessage> ReportAsync(string eventType, object form, string source = "sensor-1") =>
        Http.PostAsJsonAsync($"/api/events/{eventType}", new { source, form });

    public async Task<CaseResponse> FileAsync(string workflowId, object form)
    {
        var response = await PostCaseAsync(new { workflowId, form });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CaseResponse>(OneThingJson.Options))!;
    }

    /// <summary>Asserts the status, showing the problem body when it differs, which says what went wrong.</summary>
    public static async Task ExpectAsync(HttpStatusCode expected, Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static async Task<CaseResponse> CaseOf(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<CaseResponse>(OneThingJson.Options))!;
    }

    public static CaseStepResponse Step(CaseResponse @case, string stepId) => @case.Steps.Single(s => s.StepId == stepId);

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
