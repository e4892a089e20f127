using System.Net;
using System.Net.Http.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class MediationIntakeTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private const string Centre = "mediation-centre";

    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync() => (_host, _api, _) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Request() => new
    {
        applicantName = "赵秀英",
        applicantPhone = "13612349999",
        summary = "楼上商铺装修噪声扰民，物业与商户互相推诿",
        kind = "dispute",
    };

    [Fact]
    public async Task The_centre_names_who_is_responsible_and_a_satisfied_person_closes_the_case()
    {
        var filed = await _api.FileAsync("mediation-intake", Request());
        var assign = await _api.WaitForStepAsync(Centre, filed.Id, "assign");
        Assert.Contains("law-enforcement", assign.ChooseFrom);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, Triage(assign.Id, "law-enforcement", "community"));

        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync("law-enforcement", filed.Id, "assign")).Id, "已责令限时施工"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync("community", filed.Id, "assign")).Id, "已组织双方调解"));
        var feedback = await _api.WaitForStepAsync(Centre, filed.Id, "feedback");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(feedback.Id, "satisfied"));

        var closed = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the request to close");
        Assert.Equal("136****9999", Assert.Single(closed.Notifications).Address);
    }

    [Fact]
    public async Task A_person_not_satisfied_gets_a_new_round_of_triage_and_can_be_assigned_elsewhere()
    {
        var filed = await _api.FileAsync("mediation-intake", Request());
        await ApiClient.ExpectAsync(HttpStatusCode.OK, Triage((await _api.WaitForStepAsync(Centre, filed.Id, "assign")).Id, "community"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync("community", filed.Id, "assign")).Id, "已调解"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForStepAsync(Centre, filed.Id, "feedback")).Id, "not-satisfied"));

        var secondTriage = await _api.WaitForStepAsync(Centre, filed.Id, "assign", round: 2);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, Triage(secondTriage.Id, "law-enforcement"));
        var enforcement = await _api.WaitForStepAsync("law-enforcement", filed.Id, "assign", round: 2);
        Assert.Equal("10 workdays", enforcement.Deadline.Sla);
        var running = await _api.GetCaseAsync(filed.Id);
        Assert.Equal(("running", 2), (running.Status, ApiClient.Step(running, "assign").Round));
    }

    [Fact]
    public async Task The_centre_joins_a_department_the_first_ones_cannot_settle_alone_and_another_department_may_not()
    {
        var filed = await _api.FileAsync("mediation-intake", Request());
        await ApiClient.ExpectAsync(HttpStatusCode.OK, Triage((await _api.WaitForStepAsync(Centre, filed.Id, "assign")).Id, "community"));
        var community = await _host.ClientForAsync(Staff.Reviewer("community"));
        var centre = await _host.ClientForAsync(Staff.Reviewer(Centre));
        var join = new { department = "market-regulation", reason = "商户无证经营，需市场监管协同", sla = "3 workdays" };

        var refused = await community.PostAsJsonAsync($"/api/cases/{filed.Id}/joined-departments", join);
        var joined = await centre.PostAsJsonAsync($"/api/cases/{filed.Id}/joined-departments", join);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
        var task = await _api.WaitForStepAsync("market-regulation", filed.Id, "assign");
        Assert.Equal("3 workdays", task.Deadline.Sla);
    }

    private async Task<HttpResponseMessage> Triage(Guid taskId, params string[] departments) =>
        await _api.Reviewer(Centre).PostAsJsonAsync($"/api/tasks/{taskId}/approve", new { comment = "按职责分派", departments });
}
