using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Api.Cases;
using OneThing.Api.Extensions;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Incidents;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Incidents;

/// <param name="Form">The report's fields, by the workflow's form (e.g. location, photo, meter id).</param>
/// <param name="Source">Who or what reports: a sensor id, a camera, a resident hotline.</param>
public sealed record IncidentReportRequest(JsonElement? Form, string? Source);

public static class IncidentEndpoints
{
    public static IEndpointRouteBuilder MapIncidentEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/events/{type}", ReportAsync).WithTags("Incidents").WithName("ReportIncident")
            .WithSummary("A sensor or another system reports an incident: it opens a case, or joins the open case of the same incident");
        return routes;
    }

    private static async Task<Results<Created<CaseResponse>, Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> ReportAsync(
        string type, IncidentReportRequest request, ReportIncident report, OneThingDbContext db, WorkflowRegistry workflows, SlaClock slaClock,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.Form is not { ValueKind: JsonValueKind.Object } form)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["form"] = ["form is required and must be a JSON object of the report's fields."] },
                title: "The report is incomplete");
        }

        if (request.Source is { Length: > 200 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["source"] = ["source is at most 200 characters."] });
        }

        switch (await report.HandleAsync(new ReportIncidentCommand(type, form, request.Source?.Trim()), cancellationToken))
        {
            case ReportIncidentResult.Reported reported:
                var body = (await CaseQueries.GetCaseAsync(db, workflows, slaClock, clock, reported.CaseId, cancellationToken))!;
                return reported.Attached ? TypedResults.Ok(body) : TypedResults.Created($"/api/cases/{reported.CaseId}", body);
            case ReportIncidentResult.UnknownEvent unknown:
                var known = workflows.Latest.Select(w => w.Definition.Incident?.Event).OfType<string>().Order(StringComparer.Ordinal);
                return Problems.NotFound($"No workflow is opened by event '{unknown.Event}'. Known events: {string.Join(", ", known)}.");
            case ReportIncidentResult.InvalidForm invalid:
                return Problems.InvalidForm(invalid.Errors);
            default:
                throw new InvalidOperationException("Unexpected result of an incident report");
        }
    }
}
