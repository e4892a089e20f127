using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Engine;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Places;

/// <param name="Street">The street or town (街道/镇) the unit lies in; its own code for a street.</param>
public sealed record UnitResponse(string Code, string Role, LocalizedText Name, string? Parent, string? Street);

/// <summary>The territorial units (块) of departments.yaml: the inboxes steps routed by place send their tasks to.</summary>
public static class PlaceEndpoints
{
    public static IEndpointRouteBuilder MapPlaceEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/units").WithTags("Workflows").RequireAuthorization()
            .MapGet("/", ListUnits).WithName("ListUnits")
            .WithSummary("Every street or town, community or village and grid with its parent; role=street (or community, grid) lists one tier");
        return routes;
    }

    private static Results<Ok<List<UnitResponse>>, ValidationProblem> ListUnits(WorkflowRegistry registry, string? role, CancellationToken cancellationToken)
    {
        var wanted = Territory.ParseRole(role);
        if (role is not null && wanted is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["role"] = ["role must be street, community or grid. 层级须为街道、社区或网格。"],
            });
        }

        var territory = registry.Departments.Territory;
        return TypedResults.Ok(territory.All
            .Where(unit => wanted is null || unit.Role == wanted)
            .Select(unit => new UnitResponse(unit.Code, Territory.RoleName(unit.Role), unit.Name, unit.Parent, territory.StreetOf(unit.Code)?.Code))
            .ToList());
    }
}
