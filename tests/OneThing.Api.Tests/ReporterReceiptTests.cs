using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

/// <summary>Least data for the reporter role: a sensor or hotline account learns the number to quote, nothing of the case.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class ReporterReceiptTests(PostgresServer postgres) : IAsyncLifetime
{
    private OneThingHost _host = null!;
    private ApiClient _api = null!;

    public async Task InitializeAsync()
    {
        _host = new OneThingHost(await postgres.CreateDatabaseAsync());
        _api = new ApiClient(_host);
        await _host.ResetDataAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Report(string plateNumber) => new
    {
        source = "resident-hotline",
        form = new { location = "江北区洪塘街道裘市小区3号楼东侧消防通道", grid = "kongpu-c01-01", plateNumber, reportedBy = "resident", reporterPhone = "13912345678" },
    };

    [Fact]
    public async Task A_reporter_gets_back_only_the_case_number_and_status_whether_opening_or_joining_a_case()
    {
        var reporter = _api.As(Staff.Reporter);

        var opened = await reporter.PostAsJsonAsync("/api/events/fire-lane-blocked", Report("浙B12345"));
        var joined = await reporter.PostAsJsonAsync("/api/events/fire-lane-blocked", Report("浙B67890"));
        var byClerk = await _api.Http.PostAsJsonAsync("/api/events/fire-lane-blocked", Report("浙B24680"));

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        foreach (var answer in new[] { opened, joined })
        {
            var text = await answer.Content.ReadAsStringAsync();
            var receipt = JsonDocument.Parse(text).RootElement;
            Assert.Equal(["caseNumber", "status"], receipt.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.StartsWith("YJS-", receipt.GetProperty("caseNumber").GetString());
            Assert.Equal("running", receipt.GetProperty("status").GetString());
            foreach (var personal in new[] { "浙B", "13912345678", "139****5678", "裘市小区" })
            {
                Assert.DoesNotContain(personal, text);
            }
        }

        Assert.Equal(HttpStatusCode.OK, byClerk.StatusCode);
        Assert.True((await byClerk.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("steps", out _));
    }
}
