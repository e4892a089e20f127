using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class HostTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        _host = shared.Host;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Health_endpoints_report_live_and_ready_with_the_database_up()
    {
        var client = _host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        // In December 2026 the next 60 days reach 2027, which has no holiday calendar yet: Degraded, still 200.
        Assert.Matches("^(Healthy|Degraded\ncalendar: Degraded: [^\n]*)$", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_the_case_and_task_endpoints()
    {
        var document = await _host.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/cases", paths);
        Assert.Contains("/api/cases/{id}", paths);
        Assert.Contains("/api/tasks/{id}/approve", paths);
        Assert.Contains("/api/departments/{code}/tasks", paths);
    }

    [Fact]
    public async Task The_workflow_catalogue_lists_identity_change_with_its_form_and_steps()
    {
        var client = await _host.ClientForAsync(Staff.Clerk);
        var catalogue = await client.GetFromJsonAsync<JsonElement>("/api/workflows");
        var workflow = await client.GetFromJsonAsync<JsonElement>("/api/workflows/identity-change");

        Assert.Contains(catalogue.EnumerateArray(), w => w.GetProperty("id").GetString() == "identity-change");
        Assert.Equal("身份信息连锁变更", workflow.GetProperty("name").GetProperty("zh").GetString());
        Assert.Equal(1, workflow.GetProperty("version").GetInt32());
        var fields = workflow.GetProperty("form").EnumerateArray().Select(f => f.GetProperty("key").GetString()).ToList();
        Assert.Subset(fields.ToHashSet(), new HashSet<string?> { "name", "idNumber", "phone", "newName", "hasSchoolAgeChild", "ownsProperty" });
        var household = workflow.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "household");
        Assert.Equal(0, household.GetProperty("needs").GetArrayLength());
    }

    [Fact]
    public async Task Restarting_on_the_same_database_keeps_the_workflow_version()
    {
        await _host.CreateClient().GetAsync("/health/live");
        await using var restarted = new OneThingHost(_host.ConnectionString);

        var workflow = await (await restarted.ClientForAsync(Staff.Clerk)).GetFromJsonAsync<JsonElement>("/api/workflows/identity-change");

        Assert.Equal(1, workflow.GetProperty("version").GetInt32());
    }
}
