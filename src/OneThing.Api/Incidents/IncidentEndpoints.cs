using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Accounts;
using OneThing.Api.Cases;
using OneThing.Engine;
using OneThing.Processing.Accounts;
using OneThing.Api.Extensions;
using OneThing.Processing.Commands;
using OneThing.Processing.Incidents;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Incidents;

/// <param name="Form">The report's fields, by the workflow's form (e.g. location, photo, meter id).</param>
/// <param name="Source">Who or what reports: a sensor id, a camera, a resident hotline.</param>
public sealed record IncidentReportRequest(JsonElement? Form, string? Source);

/// <summary>What a reporter (a sensor gateway, a camera system, a hotline) learns of the case its report opened or joined.</summary>
public sealed record IncidentReceipt(string CaseNumber, string Status);

public static class IncidentEndpoints
{
    public static IEndpointRouteBuilder MapIncidentEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/events/{type}", ReportAsync).RequireAuthorization(Policies.ReportIncidents).WithTags("Incidents").WithName("ReportIncident")
            .WithSummary("A sensor or another system reports an incident: it opens a case, or joins the open case of the same incident");
        routes.MapGet("/api/incidents", ListOpenAsync).RequireAuthorization(Policies.Supervise).WithTags("Incidents").WithName("ListOpenIncidents")
            .WithSummary("Open incident cases with their place and report count (duplicates merged in), most recently reported first; filter by event");
        return routes;
    }

    private static async Task<Results<Ok<OpenIncidentPage>, ValidationProblem>> ListOpenAsync(
        IncidentQueries incidents, [FromQuery(Name = "event")] string? incidentEvent, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        if (Paging.Check(page, pageSize, maxPageSize: 200) is { Count: > 0 } pageErrors)
        {
            return TypedResults.ValidationProblem(pageErrors);
        }

        return TypedResults.Ok(await incidents.ListOpenAsync(incidentEvent, page ?? 1, pageSize ?? 50, cancellationToken));
    }

    private static async Task<Results<Created<CaseResponse>, Ok<CaseResponse>, Created<IncidentReceipt>, Ok<IncidentReceipt>, ValidationProblem,
        ProblemHttpResult>> ReportAsync(
        string type, IncidentReportRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ReportIncident report,
        OneThingDbContext db, CaseQueries cases, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (request.Form is not { ValueKind: JsonValueKind.Object } form)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["form"] = ["form is required and must be a JSON object of the report's fields."] },
                title: "The report is incomplete");
        }

        if (!FormValidator.HasValidText(form))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["form"] = ["form contains text that is not valid UTF-8 or a NUL character (U+0000)."] });
        }

        if (request.Source is { Length: > 200 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["source"] = ["source is at most 200 characters."] });
        }

        if (idempotencyKey is { Length: 0 or > CaseEndpoints.MaxIdempotencyKeyLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["Idempotency-Key"] = [$"The Idempotency-Key header must be 1 to {CaseEndpoints.MaxIdempotencyKeyLength} characters."],
            });
        }

        var result = await report.HandleAsync(
            new ReportIncidentCommand(type, form, request.Source?.Trim(), http.AuditActor(), idempotencyKey), cancellationToken);
        if (result.Value is not { } reported)
        {
            return CommandProblems.For(result.Refusal!, $"No workflow is opened by event '{type}'.");
        }

        // A reporter needs no more than a number to quote: the case holds the other reporters' names and phones, the
        // form, and the departments' comments, none of which a sensor account should be able to collect.
        if (http.User.IsInRole(Roles.Reporter))
        {
            var receipt = await db.Cases.AsNoTracking().Where(c => c.Id == reported.CaseId)
                .Select(c => new IncidentReceipt(c.CaseNumber, c.Status)).SingleAsync(cancellationToken);
            return reported.Attached ? TypedResults.Ok(receipt) : TypedResults.Created($"/api/cases/{reported.CaseId}", receipt);
        }

        var body = (await cases.ReadAuditedAsync(reported.CaseId, http, cancellationToken))!;
        return reported.Attached ? TypedResults.Ok(body) : TypedResults.Created($"/api/cases/{reported.CaseId}", body);
    }
}
