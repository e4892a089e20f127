using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing.Ratings;

namespace OneThing.Api.Tests;

/// <summary>The applicant's side, without signing in: status by case number and phone digits, and 好差评.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class PublicCaseTests(PublicCaseTests.FewLookUpsHost shared) : IClassFixture<PublicCaseTests.FewLookUpsHost>, IAsyncLifetime
{
    private string _database = null!;
    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private HttpClient _applicant = null!;

    public async Task InitializeAsync()
    {
        _api = await shared.ResetAsync();
        _host = shared.Host;
        _database = _host.ConnectionString;
        _applicant = _host.CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public sealed class FewLookUpsHost(PostgresServer postgres)
        : SharedHost(postgres, new Dictionary<string, string?> { ["PublicApi:PermitsPerMinute"] = "12" });

    [Fact]
    public async Task The_applicant_sees_status_and_progress_per_department_and_no_personal_data()
    {
        var filed = await _api.FileIdentityChangeAsync(hasSchoolAgeChild: false);
        await _api.ApproveAsync((await _api.WaitForTaskAsync("household-registration", filed.Id)).Id);
        await _api.WaitForTaskAsync("social-security", filed.Id);

        var response = await _applicant.GetAsync($"/api/public/cases/{filed.CaseNumber}?phoneLast4=5678");
        var text = await response.Content.ReadAsStringAsync();
        var status = JsonDocument.Parse(text).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(filed.CaseNumber, status.GetProperty("caseNumber").GetString());
        Assert.Equal("running", status.GetProperty("status").GetString());
        var departments = status.GetProperty("departments").EnumerateArray()
            .ToDictionary(d => d.GetProperty("department").GetString()!, d => d.GetProperty("state").GetString());
        Assert.Equal("approved", departments["household-registration"]);
        Assert.Equal("active", departments["social-security"]);
        Assert.Equal("skipped", departments["education"]);
        foreach (var personal in new[] { "张小明", "张明远", "11010519491231002X", "13812345678", "clerk", "reviewer" })
        {
            Assert.DoesNotContain(personal, text);
        }
    }

    [Fact]
    public async Task No_such_case_and_wrong_digits_get_the_same_answer()
    {
        var filed = await _api.FileIdentityChangeAsync();

        var wrongDigits = await _applicant.GetAsync($"/api/public/cases/{filed.CaseNumber}?phoneLast4=1234");
        var noSuchCase = await _applicant.GetAsync("/api/public/cases/YJS-20990101-999999?phoneLast4=5678");
        var notDigits = await _applicant.GetAsync($"/api/public/cases/{filed.CaseNumber}?phoneLast4=56a8");

        Assert.Equal(HttpStatusCode.NotFound, wrongDigits.StatusCode);
        Assert.Equal(noSuchCase.StatusCode, wrongDigits.StatusCode);
        Assert.Equal(WithoutTraceId(await ApiClient.ProblemAsync(noSuchCase)), WithoutTraceId(await ApiClient.ProblemAsync(wrongDigits)));
        Assert.Equal(HttpStatusCode.BadRequest, notDigits.StatusCode);
    }

    [Fact]
    public async Task Look_ups_beyond_the_limit_per_minute_are_refused_with_429()
    {
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 13; i++)
        {
            answers.Add(await _applicant.GetAsync($"/api/public/cases/YJS-20990101-{i:000000}?phoneLast4={i:0000}"));
        }

        Assert.All(answers.Take(12), a => Assert.Equal(HttpStatusCode.NotFound, a.StatusCode));
        var refused = answers[^1];
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        await ApiClient.ProblemAsync(refused);
    }

    [Fact]
    public async Task An_ended_case_can_be_rated_once_and_a_running_one_not_at_all()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var household = await _api.WaitForTaskAsync("household-registration", filed.Id);
        var rate = (int score, string digits) =>
            _applicant.PostAsJsonAsync($"/api/public/cases/{filed.CaseNumber}/rating", new { phoneLast4 = digits, score, comment = "窗口服务热情，一次办好" });

        var whileRunning = await rate(5, "5678");
        await _api.RejectAsync(household.Id, "户籍信息不符");
        var wrongDigits = await rate(5, "0000");
        var outOfRange = await rate(6, "5678");
        var rated = await rate(4, "5678");
        var again = await rate(1, "5678");
        var status = await _applicant.GetFromJsonAsync<JsonElement>($"/api/public/cases/{filed.CaseNumber}?phoneLast4=5678");

        Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongDigits.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.Equal(HttpStatusCode.Created, rated.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.True(status.GetProperty("rated").GetBoolean());
        Assert.Equal("rejected", status.GetProperty("status").GetString());
        var audit = (await _api.As(Staff.Supervisor).GetFromJsonAsync<JsonElement>("/api/audit?action=case-rated")).GetProperty("items");
        Assert.Equal("applicant", Assert.Single(audit.EnumerateArray()).GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_rating_wrong_in_several_fields_names_each_of_them_and_saves_nothing()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var household = await _api.WaitForTaskAsync("household-registration", filed.Id);
        await _api.RejectAsync(household.Id, "户籍信息不符");

        var wrong = await _applicant.PostAsJsonAsync($"/api/public/cases/{filed.CaseNumber}/rating",
            new { phoneLast4 = "56a8", level = "superb", comment = new string('好', RateCase.MaxCommentLength + 1) });

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var problem = await ApiClient.ProblemAsync(wrong);
        Assert.Equal(RateCase.InvalidTitle, problem.GetProperty("title").GetString());
        Assert.Equal(["comment", "level", "phoneLast4"],
            problem.GetProperty("errors").EnumerateObject().Select(field => field.Name).Order(StringComparer.Ordinal));
        var status = await _applicant.GetFromJsonAsync<JsonElement>($"/api/public/cases/{filed.CaseNumber}?phoneLast4=5678");
        Assert.False(status.GetProperty("rated").GetBoolean());
    }

    [Fact]
    public async Task After_five_wrong_digits_from_any_addresses_a_case_number_is_locked_for_15_minutes_on_every_node()
    {
        var filed = await _api.FileIdentityChangeAsync();
        var other = await _api.FileIdentityChangeAsync();
        await using var otherNode = new OneThingHost(_database);

        var wrongDigits = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            wrongDigits.Add(await LookUpAsync(_host, filed.CaseNumber, $"{i:0000}", from: $"203.0.113.{i + 1}"));
        }

        var rightDigits = await _applicant.GetAsync($"/api/public/cases/{filed.CaseNumber}?phoneLast4=5678");
        var onOtherNode = await otherNode.CreateClient().GetAsync($"/api/public/cases/{filed.CaseNumber}?phoneLast4=5678");
        var rating = await _applicant.PostAsJsonAsync($"/api/public/cases/{filed.CaseNumber}/rating", new { phoneLast4 = "5678", score = 5 });
        var otherCase = await _applicant.GetAsync($"/api/public/cases/{other.CaseNumber}?phoneLast4=5678");

        Assert.All(wrongDigits, status => Assert.Equal(HttpStatusCode.NotFound, status));
        foreach (var locked in new[] { rightDigits, onOtherNode, rating })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.InRange(locked.Headers.RetryAfter?.Delta?.TotalMinutes ?? 0, 14, 15);
            Assert.Contains("锁定", (await ApiClient.ProblemAsync(locked)).GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, otherCase.StatusCode);
    }

    [Fact]
    public async Task A_case_number_that_matches_no_case_locks_the_same_way()
    {
        const string noSuchCase = "YJS-20990101-424242";
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await LookUpAsync(_host, noSuchCase, "5678", from: $"203.0.113.{i + 1}"));
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.NotFound, 5), HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task IPv6_clients_share_one_quota_per_64_and_another_64_has_its_own()
    {
        var sameSubnet = new List<HttpStatusCode>();
        for (var i = 0; i < 13; i++)
        {
            sameSubnet.Add(await LookUpAsync(_host, $"YJS-20990101-{i:000000}", "1234", from: $"2001:db8:1:2:{i + 1:x}::{i + 7:x}"));
        }

        var otherSubnet = await LookUpAsync(_host, "YJS-20990101-000100", "1234", from: "2001:db8:1:3::1");

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.NotFound, 12), HttpStatusCode.TooManyRequests], sameSubnet);
        Assert.Equal(HttpStatusCode.NotFound, otherSubnet);
    }

    /// <summary>A status look-up arriving from the given client address.</summary>
    private static async Task<HttpStatusCode> LookUpAsync(OneThingHost host, string caseNumber, string phoneLast4, string from)
    {
        var answer = await host.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Get;
            http.Request.Path = $"/api/public/cases/{caseNumber}";
            http.Request.QueryString = new QueryString($"?phoneLast4={phoneLast4}");
            http.Connection.RemoteIpAddress = IPAddress.Parse(from);
        });
        return (HttpStatusCode)answer.Response.StatusCode;
    }

    private static string WithoutTraceId(JsonElement problem) =>
        JsonSerializer.Serialize(problem.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value));
}
