using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Processing;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class RatingRectificationTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Office = "government-service";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;
    private HttpClient _applicant = null!;

    public async Task InitializeAsync()
    {
        (_host, _api, _) = await catalogue.StartTestAsync();
        _applicant = _host.CreateClient();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An identity change whose household step is refused, so it ends at once and can be rated.</summary>
    private async Task<Cases.CaseResponse> EndedCaseAsync()
    {
        var filed = await _api.FileIdentityChangeAsync();
        await _api.RejectAsync((await _api.WaitForTaskAsync("household-registration", filed.Id)).Id, "户籍信息不符");
        return await _api.WaitForCaseAsync(filed.Id, c => c.EndedAt is not null, "the case to end");
    }

    private Task<HttpResponseMessage> RateAsync(string caseNumber, object body) =>
        _applicant.PostAsJsonAsync($"/api/public/cases/{caseNumber}/rating", body);

    [Fact]
    public async Task A_very_dissatisfied_rating_opens_a_rectification_case_naming_the_rated_case_and_its_departments()
    {
        var rated = await EndedCaseAsync();

        var response = await RateAsync(rated.CaseNumber, new { phoneLast4 = "5678", level = "very-dissatisfied", comment = "材料被退回三次，每次说法不一" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((1, "very-dissatisfied"), (answer.GetProperty("score").GetInt32(), answer.GetProperty("level").GetString()));
        var rectificationNumber = answer.GetProperty("rectificationCaseNumber").GetString();
        var link = await _host.WithDbAsync(db => db.CaseRatings.Where(r => r.CaseId == rated.Id).Select(r => r.RectificationCaseId).SingleAsync());
        var rectification = await _api.As(Staff.Supervisor).GetFromJsonAsync<Cases.CaseResponse>($"/api/cases/{link}", OneThingJson.Options);
        Assert.Equal(("rating-rectification", rectificationNumber), (rectification!.WorkflowId, rectification.CaseNumber));
        Assert.Equal(rated.CaseNumber, rectification.Form.GetProperty("ratedCaseNumber").GetString());
        Assert.Contains("公安户籍", rectification.Form.GetProperty("ratedDepartments").GetString());

        var verify = await _api.WaitForStepAsync(Office, rectification.Id, "verify");
        Assert.Equal("材料被退回三次，每次说法不一", verify.Fields.GetProperty("comment").GetString());
        Assert.False(verify.Fields.TryGetProperty("applicantPhone", out _));
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.Reviewer(Office).PostAsJsonAsync($"/api/tasks/{verify.Id}/approve", new { comment = "差评属实", departments = new[] { "household-registration" } }));
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.ApproveAsync((await _api.WaitForStepAsync("household-registration", rectification.Id, "verify")).Id, "已一次性告知所需材料"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync(Office, rectification.Id, "reply")).Id, "已电话答复"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.ApproveWithAsync((await _api.WaitForStepAsync(Office, rectification.Id, "return-visit")).Id, "satisfied"));
        var closed = await _api.WaitForCaseAsync(rectification.Id, c => c.Status == "completed", "the rectification to close");
        Assert.Equal("15 workdays", closed.Deadline.Sla);
    }

    [Fact]
    public async Task A_good_rating_by_score_opens_nothing_and_an_unknown_level_or_a_disagreeing_score_is_refused()
    {
        var rated = await EndedCaseAsync();

        var unknown = await RateAsync(rated.CaseNumber, new { phoneLast4 = "5678", level = "meh" });
        var disagreeing = await RateAsync(rated.CaseNumber, new { phoneLast4 = "5678", level = "satisfied", score = 1 });
        var good = await RateAsync(rated.CaseNumber, new { phoneLast4 = "5678", score = 3 });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await ApiClient.ProblemAsync(unknown)).GetProperty("errors").TryGetProperty("level", out _));
        Assert.Equal(HttpStatusCode.BadRequest, disagreeing.StatusCode);
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        var answer = await good.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("basically-satisfied", answer.GetProperty("level").GetString());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("rectificationCaseNumber").ValueKind);
        Assert.Equal(0, await _host.WithDbAsync(db => db.Cases.CountAsync(c => c.WorkflowId == "rating-rectification")));
    }

    [Fact]
    public async Task A_second_bad_rating_of_the_same_case_is_refused_and_opens_no_second_rectification()
    {
        var rated = await EndedCaseAsync();
        Assert.Equal(HttpStatusCode.Created, (await RateAsync(rated.CaseNumber, new { phoneLast4 = "5678", level = "dissatisfied" })).StatusCode);

        var again = await RateAsync(rated.CaseNumber, new { phoneLast4 = "5678", level = "very-dissatisfied" });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, await _host.WithDbAsync(db => db.Cases.CountAsync(c => c.WorkflowId == "rating-rectification")));
    }

    [Fact]
    public async Task Supervisors_see_ratings_per_department_and_matter_and_the_share_of_bad_ones_answered_on_time()
    {
        var answered = await EndedCaseAsync();
        var unanswered = await EndedCaseAsync();
        var praised = await EndedCaseAsync();
        var answeredRating = await (await RateAsync(answered.CaseNumber, new { phoneLast4 = "5678", level = "dissatisfied" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, (await RateAsync(unanswered.CaseNumber, new { phoneLast4 = "5678", level = "very-dissatisfied" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await RateAsync(praised.CaseNumber, new { phoneLast4 = "5678", score = 5 })).StatusCode);
        var rectificationId = await _host.WithDbAsync(db => db.Cases
            .Where(c => c.CaseNumber == answeredRating.GetProperty("rectificationCaseNumber").GetString()).Select(c => c.Id).SingleAsync());
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.Reviewer(Office).PostAsJsonAsync(
            $"/api/tasks/{(await _api.WaitForStepAsync(Office, rectificationId, "verify")).Id}/approve", new { comment = "属实", departments = new[] { "household-registration" } }));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync("household-registration", rectificationId, "verify")).Id, "已整改"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync(Office, rectificationId, "reply")).Id, "已答复"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.ApproveWithAsync((await _api.WaitForStepAsync(Office, rectificationId, "return-visit")).Id, "still-dissatisfied"));
        await _api.WaitForCaseAsync(rectificationId, c => c.Status == "completed", "the rectification to close");

        var supervisor = _api.As(Staff.Supervisor);
        var statistics = await supervisor.GetFromJsonAsync<JsonElement>("/api/supervision/ratings");
        var badDays = await supervisor.GetAsync("/api/supervision/ratings?days=0");

        var matter = statistics.GetProperty("byMatter").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "identity-change");
        Assert.Equal((3, 2, 1, 0.5), (matter.GetProperty("total").GetInt32(), matter.GetProperty("bad").GetInt32(),
            matter.GetProperty("badAnsweredOnTime").GetInt32(), matter.GetProperty("onTimeShare").GetDouble()));
        Assert.Equal(1, matter.GetProperty("levels").GetProperty("very-dissatisfied").GetInt32());
        Assert.Equal(1, matter.GetProperty("levels").GetProperty("very-satisfied").GetInt32());
        var household = statistics.GetProperty("byDepartment").EnumerateArray().Single(r => r.GetProperty("code").GetString() == "household-registration");
        Assert.Equal((3, 2), (household.GetProperty("total").GetInt32(), household.GetProperty("bad").GetInt32()));
        Assert.DoesNotContain(statistics.GetProperty("byMatter").EnumerateArray(), r => r.GetProperty("code").GetString() == "rating-rectification");
        Assert.Equal(HttpStatusCode.BadRequest, badDays.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.Http.GetAsync("/api/supervision/ratings")).StatusCode);
    }
}
