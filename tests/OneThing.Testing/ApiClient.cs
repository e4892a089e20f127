using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Cases;
using OneThing.Api.DepartmentTasks;
using Microsoft.EntityFrameworkCore;
using OneThing.Processing;

namespace OneThing.Testing;

/// <summary>
/// What a clerk and the reviewers do, as HTTP calls, each signed in as themselves: filing and reading cases as the
/// clerk, inboxes and decisions as the reviewer of the task's department.
/// </summary>
public sealed class ApiClient(OneThingHost host)
{
    private readonly Dictionary<string, HttpClient> _clients = new();

    public OneThingHost Host { get; } = host;

    /// <summary>The clerk's client.</summary>
    public HttpClient Http => As(Staff.Clerk);

    public HttpClient As(string userName)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(userName, out var client))
            {
                // Off the test's synchronisation context, so waiting here cannot deadlock it.
                client = Task.Run(() => Host.ClientForAsync(userName)).GetAwaiter().GetResult();
                _clients[userName] = client;
            }

            return client;
        }
    }

    public HttpClient Reviewer(string department) => As(Staff.Reviewer(department));

    /// <summary>
    /// A valid identity change, with <paramref name="applicationForm"/> as its photographed joint application form (联办申请表),
    /// an upload of the filing clerk's that no case uses yet (see <see cref="UploadApplicationFormAsync"/>).
    /// </summary>
    public static Dictionary<string, object?> IdentityChangeForm(Guid applicationForm, bool hasSchoolAgeChild = true, bool ownsProperty = true) => new()
    {
        ["name"] = "张小明",
        ["idNumber"] = "11010519491231002X",
        ["phone"] = "13812345678",
        ["newName"] = "张明远",
        ["hasSchoolAgeChild"] = hasSchoolAgeChild,
        ["ownsProperty"] = ownsProperty,
        ["hasHousingFundAccount"] = true,
        ["applicationForm"] = new { attachmentId = applicationForm },
    };

    /// <summary>An identity change with a freshly uploaded photograph of its application form: one upload serves one case.</summary>
    public async Task<Dictionary<string, object?>> IdentityChangeFormAsync(bool hasSchoolAgeChild = true, bool ownsProperty = true, string? userName = null) =>
        IdentityChangeForm(await UploadApplicationFormAsync(userName), hasSchoolAgeChild, ownsProperty);

    /// <summary>Uploads <see cref="ApplicationFormPhoto"/> as the clerk's photograph of the signed joint application form; as the clerk unless told.</summary>
    public Task<Guid> UploadApplicationFormAsync(string? userName = null) =>
        UploadedAsync(ApplicationFormPhotoName, "image/jpeg", ApplicationFormPhoto(), userName);

    public const string ApplicationFormPhotoName = "联办申请表.jpg";

    /// <summary>A small JPEG standing for the photographed form; small, so the many filings of a test spend little on uploads.</summary>
    public static byte[] ApplicationFormPhoto() => SampleFiles.Of("image/jpeg", 2_000);

    public static Dictionary<string, object?> EnterpriseOpeningForm() => new()
    {
        ["companyName"] = "宁波江北甬创智能科技有限公司",
        ["companyType"] = "limited-liability",
        ["registeredAddress"] = "宁波市江北区长兴路689弄21号",
        ["registeredCapital"] = 100,
        ["businessScope"] = "智能传感器研发、销售",
        ["legalRepresentative"] = "李海燕",
        ["legalRepresentativeIdNumber"] = "11010519491231002X",
        ["phone"] = "13812345678",
        ["sealEngraver"] = "宁波江北诚信刻章有限公司",
        ["taxpayerType"] = "small-scale",
        ["invoiceTypes"] = "ordinary",
        ["openBankAccount"] = true,
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
        var response = await PostCaseAsync(new { workflowId = "identity-change", form = await IdentityChangeFormAsync(hasSchoolAgeChild, ownsProperty) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CaseResponse>(OneThingJson.Options))!;
    }

    public async Task<CaseResponse> GetCaseAsync(Guid id) =>
        (await Http.GetFromJsonAsync<CaseResponse>($"/api/cases/{id}", OneThingJson.Options))!;

    /// <summary>The first page of the department's inbox, as large as pages go (200 tasks): enough for every test but the paging ones.</summary>
    public async Task<IReadOnlyList<DepartmentTaskResponse>> InboxAsync(string department, string? status = null) =>
        (await InboxPageAsync(Reviewer(department), department, $"pageSize=200{(status is null ? "" : $"&status={status}")}")).Items;

    public static async Task<DepartmentTaskPage> InboxPageAsync(HttpClient client, string department, string query) =>
        (await client.GetFromJsonAsync<DepartmentTaskPage>($"/api/departments/{department}/tasks?{query}", OneThingJson.Options))!;

    public Task<DepartmentTaskResponse> WaitForTaskAsync(string department, Guid caseId) =>
        Eventually.MatchAsync(() => InboxAsync(department), tasks => tasks.Any(t => t.CaseId == caseId), $"a task in {department}'s inbox")
            .ContinueWith(t => t.Result.Single(task => task.CaseId == caseId));

    public Task<CaseResponse> WaitForCaseAsync(Guid caseId, Func<CaseResponse, bool> condition, string what) =>
        Eventually.MatchAsync(() => GetCaseAsync(caseId), condition, what);

    /// <summary>Approves as the reviewer of the task's department.</summary>
    public async Task<HttpResponseMessage> ApproveAsync(Guid taskId, string comment = "材料齐全，同意") =>
        await (await ReviewerOfAsync(taskId)).PostAsJsonAsync($"/api/tasks/{taskId}/approve", new { comment });

    public async Task<HttpResponseMessage> RejectAsync(Guid taskId, string reason) =>
        await (await ReviewerOfAsync(taskId)).PostAsJsonAsync($"/api/tasks/{taskId}/reject", new { reason });

    public async Task<HttpClient> ReviewerOfAsync(Guid taskId)
    {
        var department = await Host.WithDbAsync(db => db.DepartmentTasks.Where(t => t.Id == taskId).Select(t => t.Department).SingleOrDefaultAsync());
        return Reviewer(department ?? throw new InvalidOperationException($"There is no task {taskId}"));
    }

    /// <summary>An admin creates an account with the demo password, so <see cref="As"/> can sign in with it.</summary>
    public async Task CreateAccountAsync(string userName, string role, string? department = null)
    {
        var response = await As(Staff.Admin).PostAsJsonAsync("/api/accounts", new { userName, password = Staff.DemoPassword, role, department });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<HttpResponseMessage> ApproveWithAsync(Guid taskId, string? outcome, object? form = null, string comment = "已处置") =>
        await (await ReviewerOfAsync(taskId)).PostAsJsonAsync($"/api/tasks/{taskId}/approve", new { comment, outcome, form });

    /// <summary>The reviewer of the task's department claims it, as themselves.</summary>
    public async Task<HttpResponseMessage> ClaimAsync(Guid taskId) =>
        await (await ReviewerOfAsync(taskId)).PostAsync($"/api/tasks/{taskId}/claim", null);

    public async Task<HttpResponseMessage> RequestSupplementAsync(Guid taskId, string message) =>
        await (await ReviewerOfAsync(taskId)).PostAsJsonAsync($"/api/tasks/{taskId}/request-supplement", new { message });

    public Task<HttpResponseMessage> SubmitSupplementAsync(Guid caseId, object body) =>
        Http.PostAsJsonAsync($"/api/cases/{caseId}/supplements", body);

    /// <summary>Uploads one file as multipart/form-data, the way a browser's form or curl -F sends it; as the clerk unless told.</summary>
    public Task<HttpResponseMessage> UploadAsync(string fileName, string? contentType, byte[] content, string? userName = null)
    {
        var file = new ByteArrayContent(content);
        if (contentType is not null)
        {
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        var form = new MultipartFormDataContent { { file, "file", fileName } };
        return As(userName ?? Staff.Clerk).PostAsync("/api/attachments", form);
    }

    /// <summary>Uploads a file that must be accepted and returns its attachmentId.</summary>
    public async Task<Guid> UploadedAsync(string fileName, string contentType, byte[] content, string? userName = null)
    {
        var response = await UploadAsync(fileName, contentType, content, userName);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            Assert.Fail($"Expected the upload to be stored, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attachmentId").GetGuid();
    }

    public Task<HttpResponseMessage> WithdrawAsync(Guid caseId, string reason) =>
        Http.PostAsJsonAsync($"/api/cases/{caseId}/withdraw", new { reason });

    /// <summary>
    /// Reported by the demo reporter account, as a sensor gateway or camera system would; a retry sends the same key.
    /// The reporter is told only the case number and status, so a successful answer comes back with the reporter's
    /// status code and the case as a supervisor reads it, for the tests that follow the case on.
    /// </summary>
    public async Task<HttpResponseMessage> ReportAsync(string eventType, object form, string source = "sensor-1", string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/events/{eventType}") { Content = JsonContent.Create(new { source, form }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        var answer = await As(Staff.Reporter).SendAsync(request);
        if (!answer.IsSuccessStatusCode)
        {
            return answer;
        }

        var caseNumber = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("caseNumber").GetString();
        var id = await Host.WithDbAsync(db => db.Cases.Where(c => c.CaseNumber == caseNumber).Select(c => c.Id).SingleAsync());
        var asSupervisor = await As(Staff.Supervisor).GetAsync($"/api/cases/{id}");
        return new HttpResponseMessage(answer.StatusCode) { Content = asSupervisor.Content };
    }

    public const string WaterMeter = "WM-330205-00871", WaterMeterGrid = "yongjiang-waicao-01";

    /// <summary>Civil affairs' register, as the admin: enrols the meter's elder, or leaves an enrolment already there as it is.</summary>
    public async Task EnrolElderAsync(string meterId = WaterMeter, string grid = WaterMeterGrid, string familyPhone = "13512345678")
    {
        var answer = await As(Staff.Admin).PostAsJsonAsync("/api/elder-register",
            new { meterId, name = "洪阿婆", address = "江北区甬江街道外漕村12号", grid, familyPhone });
        Assert.True(answer.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"enrolling {meterId}: {await answer.Content.ReadAsStringAsync()}");
    }

    /// <summary>A water meter's alert names only its meter; the meter's elder is enrolled first, as the register requires.</summary>
    public async Task<HttpResponseMessage> ReportWaterAlertAsync(string meterId = WaterMeter, string grid = WaterMeterGrid, string source = "sensor-1",
        string? idempotencyKey = null)
    {
        await EnrolElderAsync(meterId, grid);
        return await ReportAsync("water-meter-alert", WaterAlert(meterId), source, idempotencyKey);
    }

    public static object WaterAlert(string meterId = WaterMeter) => new { meterId, alertType = "no-use", hoursWithoutUse = 14 };

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
