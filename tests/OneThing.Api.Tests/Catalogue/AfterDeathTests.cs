using System.Net;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests.Catalogue;

[Collection(IntegrationCollection.Name)]
public sealed class AfterDeathTests(SharedCatalogueHost catalogue) : IClassFixture<SharedCatalogueHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync() => (_host, _api, _) = await catalogue.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static object Death(bool hasHousingFund, bool ownsProperty) => new
    {
        deceasedName = "陈德福",
        deceasedId = "11010519491231002X",
        dateOfDeath = "2026-03-07",
        applicantName = "陈立",
        applicantPhone = "13812340000",
        hasHousingFund,
        ownsProperty,
    };

    [Fact]
    public async Task After_the_certificate_and_the_cancellation_every_department_settles_its_part_and_the_relative_is_told()
    {
        var filed = await _api.FileAsync("after-death", Death(hasHousingFund: true, ownsProperty: true));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync("health", filed.Id, "death-certificate")).Id, "已出具"));
        var cancellation = await _api.WaitForStepAsync("household-registration", filed.Id, "household-cancellation");
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync(cancellation.Id, "户口已注销"));
        foreach (var (inbox, step) in new[] { ("civil-affairs", "cremation"), ("social-security", "social-insurance"), ("medical-insurance", "medical-insurance"),
                     ("housing-fund", "housing-fund"), ("real-estate-registration", "inheritance") })
        {
            await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync(inbox, filed.Id, step)).Id, "已办结"));
        }

        var done = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to complete");
        Assert.Equal("138****0000", Assert.Single(done.Notifications).Address);
    }

    [Fact]
    public async Task A_refused_inheritance_does_not_hold_up_the_rest_and_no_fund_or_property_means_no_such_task()
    {
        var filed = await _api.FileAsync("after-death", Death(hasHousingFund: false, ownsProperty: true));
        await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync("health", filed.Id, "death-certificate")).Id, "已出具"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.ApproveAsync((await _api.WaitForStepAsync("household-registration", filed.Id, "household-cancellation")).Id, "户口已注销"));
        await ApiClient.ExpectAsync(HttpStatusCode.OK,
            _api.RejectAsync((await _api.WaitForStepAsync("real-estate-registration", filed.Id, "inheritance")).Id, "继承人未到齐，需公证"));
        foreach (var (inbox, step) in new[] { ("civil-affairs", "cremation"), ("social-security", "social-insurance"), ("medical-insurance", "medical-insurance") })
        {
            await ApiClient.ExpectAsync(HttpStatusCode.OK, _api.ApproveAsync((await _api.WaitForStepAsync(inbox, filed.Id, step)).Id, "已办结"));
        }

        var done = await _api.WaitForCaseAsync(filed.Id, c => c.Status == "completed", "the case to complete without the inheritance");
        Assert.Equal("rejected", ApiClient.Step(done, "inheritance").State);
        Assert.Equal("skipped", ApiClient.Step(done, "housing-fund").State);
        Assert.Empty(await _api.InboxAsync("housing-fund"));
    }
}
