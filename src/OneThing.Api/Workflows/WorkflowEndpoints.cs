using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Processing.Persistence;
using OneThing.Api.Extensions;
using OneThing.Engine;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Workflows;

public sealed record WorkflowSummary(string Id, int Version, LocalizedText Name, LocalizedText? Description, string? Sla, int StepCount);

public sealed record WorkflowResponse(
    string Id,
    int Version,
    string ContentHash,
    LocalizedText Name,
    LocalizedText? Description,
    string? Sla,
    IReadOnlyList<FormFieldResponse> Form,
    IReadOnlyList<StepResponse> Steps)
{
    public IncidentSpecResponse? Incident { get; init; }

    /// <summary>The steps as a Mermaid flowchart, for a UI to draw.</summary>
    public string? Mermaid { get; init; }
}

public sealed record IncidentSpecResponse(string Event, string PlaceField, string MergeWindow);

public sealed record FormFieldResponse(string Key, LocalizedText Label, string Type, bool Required, IReadOnlyList<string> Options)
{
    /// <summary>street, community or grid when the value is the code of such a unit (GET /api/units).</summary>
    public string? Place { get; init; }
}

/// <param name="Role">street, community or grid: the task goes to that unit's inbox.</param>
/// <param name="Field">The form field whose unit locates the case.</param>
public sealed record PlaceRouteResponse(string Role, string Field);

public sealed record StepResponse(
    string Id,
    LocalizedText Name,
    string? Department,
    LocalizedText? DepartmentName,
    string Kind,
    IReadOnlyList<string> Needs,
    string? When,
    string? Sla,
    IReadOnlyList<string> Sees)
{
    public IReadOnlyList<string> Outcomes { get; init; } = [];

    public IReadOnlyList<string> Provides { get; init; } = [];

    public string Join { get; init; } = "all";

    public string OnReject { get; init; } = "end-case";

    public BreachActionsResponse? OnBreach { get; init; }

    public string? Duration { get; init; }

    public NotificationSpec? Notify { get; init; }

    /// <summary>Set for a step routed by place instead of to a department.</summary>
    public PlaceRouteResponse? Place { get; init; }
}

public sealed record BreachActionsResponse(IReadOnlyList<string> Start, bool Cancel, NotificationSpec? Notify);

public sealed record WorkflowVersionResponse(int Version, string ContentHash, string FileName, DateTimeOffset RegisteredAt, bool Latest, int CaseCount);

public static class WorkflowEndpoints
{
    public static IEndpointRouteBuilder MapWorkflowEndpoints(this IEndpointRouteBuilder routes)
    {
        var workflows = routes.MapGroup("/api/workflows").WithTags("Workflows");
        workflows.MapGet("/", ListWorkflows).WithName("ListWorkflows").WithSummary("The catalogue of \"one things\" (latest versions)");
        workflows.MapGet("/{id}", GetWorkflow).WithName("GetWorkflow").WithSummary("A workflow's form schema and steps (latest version)");
        workflows.MapGet("/{id}/versions", ListVersionsAsync).WithName("ListWorkflowVersions")
            .WithSummary("Every stored version of a workflow, oldest first; running cases keep the version they were filed on");

        routes.MapGet("/api/departments", (WorkflowRegistry registry, CancellationToken _) => TypedResults.Ok(registry.Departments.All))
            .WithTags("Workflows").WithName("ListDepartments").WithSummary("Every department with its code and names");
        return routes;
    }

    private static Ok<List<WorkflowSummary>> ListWorkflows(WorkflowRegistry registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(registry.Latest
            .OrderBy(w => w.Definition.Id, StringComparer.Ordinal)
            .Select(w => new WorkflowSummary(w.Definition.Id, w.Version, w.Definition.Name, w.Definition.Description,
                w.Definition.Sla?.ToString(), w.Definition.Steps.Count))
            .ToList());

    private static Results<Ok<WorkflowResponse>, ProblemHttpResult> GetWorkflow(string id, WorkflowRegistry registry, CancellationToken cancellationToken)
    {
        if (registry.FindLatest(id) is not { } workflow)
        {
            return Problems.NotFound($"There is no workflow '{id}'. See GET /api/workflows.");
        }

        var definition = workflow.Definition;
        return TypedResults.Ok(new WorkflowResponse(
            definition.Id,
            workflow.Version,
            workflow.ContentHash,
            definition.Name,
            definition.Description,
            definition.Sla?.ToString(),
            definition.Form.Select(f => new FormFieldResponse(f.Key, f.Label, Camel(f.Type), f.Required, f.Options)
            {
                Place = f.Place is { } role ? Territory.RoleName(role) : null,
            }).ToList(),
            definition.Steps.Select(s => new StepResponse(s.Id, s.Name, s.Department, registry.Departments.Find(s.Department)?.Name,
                Camel(s.Kind), s.Needs, s.WhenText, s.Sla?.ToString(), s.Sees)
            {
                Outcomes = s.Outcomes,
                Provides = s.Provides,
                Join = Camel(s.Join),
                OnReject = s.OnReject == RejectionPolicy.Continue ? "continue" : "end-case",
                OnBreach = s.OnBreach is { } breach ? new BreachActionsResponse(breach.Start, breach.Cancel, breach.Notify) : null,
                Duration = s.Duration?.ToString(),
                Notify = s.Notify,
                Place = s.Place is { } place ? new PlaceRouteResponse(Territory.RoleName(place.Role), place.Field) : null,
            }).ToList())
        {
            Incident = definition.Incident is { } incident
                ? new IncidentSpecResponse(incident.Event, incident.PlaceField, incident.MergeWindow.ToString())
                : null,
            Mermaid = MermaidDiagram.Render(definition, registry.Departments),
        });
    }

    private static async Task<Results<Ok<List<WorkflowVersionResponse>>, ProblemHttpResult>> ListVersionsAsync(
        string id, WorkflowRegistry registry, OneThingDbContext db, CancellationToken cancellationToken)
    {
        var versions = await WorkflowQueries.VersionsAsync(db, registry, id, cancellationToken);
        return versions.Count == 0 ? Problems.NotFound($"There is no workflow '{id}'. See GET /api/workflows.") : TypedResults.Ok(versions);
    }

    private static string Camel<T>(T value) where T : struct, Enum => OneThing.Processing.Persistence.StoredNames.Of(value);
}
