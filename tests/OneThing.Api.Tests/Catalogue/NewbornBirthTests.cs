using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class NewbornBirthTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync() => (_host, _api, _) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, object?> Birth(bool socialSecurityCard = true) => new()
    {
        ["babyName"] = "林小禾",
        ["birthDate"] = "2026-03-08",
        ["parentName"] = "林海",
        ["parentId"] = "11010519491231002X",
        ["parentPhone"] = "13512345678",
        ["hospital"] = "宁波市妇女儿童医院",
        ["socialSecurityCard"] = socialSecurityCard,
    };

    [Fact]
    public async Task The_e_licence_number_of_the_birth_certificate_reaches_household_registration_and_the_parent_is_told()
    {
        var filed = await _api.FileAsync("newborn-birth", Birth());
        var certificate = await _api.WaitForStepAsync("health", filed.Id, "birth-certificate");
        Assert.Equal(["birthCertificateNo"], certificate.Provides);
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync(certificate.Id, null, new { birthCertificateNo = "Q330000123" }));

        var household = await _api.WaitForStepAsync("household-registration", filed.Id, "household-registration");
        Assert.Equal("Q330000123", household.Fields.GetProperty("birthCertificateNo").GetString());
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(household.Id, "已办理出生登记"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.ApproveAsync((await _api.WaitForStepAsync("social-security", filed.Id, "social-security-card")).Id, "已制卡"));

        var done = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the birth case to complete");
        Assert.Equal("approved", ApiClient.Step(done, "medical-insurance").State);
        Assert.Equal("135****5678", Assert.Single(done.Notifications).Address);
    }

    [Fact]
    public async Task A_clerk_cannot_fill_in_the_certificate_number_and_a_refused_registration_rejects_the_case()
    {
        var withNumber = Birth();
        withNumber["birthCertificateNo"] = "Q330000999";
        var refused = await _api.PostCaseAsync(new { workflowId = "newborn-birth", form = withNumber });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var filed = await _api.FileAsync("newborn-birth", Birth(socialSecurityCard: false));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveWithAsync((await _api.WaitForStepAsync("health", filed.Id, "birth-certificate")).Id,
            null, new { birthCertificateNo = "Q330000124" }));
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.RejectAsync((await _api.WaitForStepAsync("household-registration", filed.Id, "household-registration")).Id, "父母户籍信息不一致"));
        var rejected = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "rejected", "the case to be rejected");
        Assert.Equal("rejected", ApiClient.Step(rejected, "household-registration").State);
        Assert.Empty(await _api.InboxAsync("medical-insurance"));
    }
}
