using System.Net.Http.Json;
using System.Text.Json;
using OneThing.Api.Tests.Infrastructure;
using OneThing.Api.Workflows;
using OneThing.Processing;

namespace OneThing.Api.Tests;

[Collection(IntegrationCollection.Name)]
public sealed class WorkflowDescriptionTests(SharedHost shared) : IClassFixture<SharedHost>, IAsyncLifetime
{
    private OneThingHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        await shared.ResetAsync();
        _host = shared.Host;
        _http = await _host.ClientForAsync(Staff.Clerk);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_workflow_describes_its_outcomes_joins_breach_actions_incident_and_diagram()
    {
        var catalogue = await _http.GetFromJsonAsync<List<WorkflowSummary>>("/api/workflows", OneThingJson.Options);
        var fireLane = (await _http.GetFromJsonAsync<WorkflowResponse>("/api/workflows/fire-lane-blockage", OneThingJson.Options))!;

        Assert.Equal(
            ["after-death", "cooking-fume-nuisance", "elderly-water-alert", "employee-hiring", "enterprise-opening", "fire-lane-blockage",
             "hazardous-chemicals", "identity-change", "mediation-intake", "newborn-birth", "open-burning", "rating-rectification",
             "shared-commercial-premises"],
            catalogue!.Select(w => w.Id));
        var persuade = fireLane.Steps.Single(s => s.Id == "persuade");
        Assert.Equal(["resolved", "unresolved"], persuade.Outcomes);
        Assert.Equal(["fire-order", "police-station", "street-office"], persuade.OnBreach!.Start);
        Assert.True(persuade.OnBreach.Cancel);
        Assert.Equal("all", fireLane.Steps.Single(s => s.Id == "verify").Join);
        Assert.Equal("continue", fireLane.Steps.Single(s => s.Id == "police-station").OnReject);
        Assert.Equal("notify", fireLane.Steps.Single(s => s.Id == "tell-reporter").Kind);
        Assert.Null(fireLane.Steps.Single(s => s.Id == "tell-reporter").Department);
        Assert.Equal("fire-lane-blocked", fireLane.Incident!.Event);
        Assert.StartsWith("flowchart TD", fireLane.Mermaid);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoints_of_the_workflow_language()
    {
        var document = await _http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("/api/tasks/{id}/request-supplement", paths);
        Assert.Contains("/api/cases/{id}/supplements", paths);
        Assert.Contains("/api/cases/{id}/withdraw", paths);
        Assert.Contains("/api/events/{type}", paths);
        Assert.Contains("/api/workflows/{id}/versions", paths);
    }
}
