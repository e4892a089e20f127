using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Cases;

public static class CaseEndpoints
{
    public const int MaxIdempotencyKeyLength = 200;

    public static IEndpointRouteBuilder MapCaseEndpoints(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup("/api/cases").WithTags("Cases");
        cases.MapPost("/", FileCaseAsync).RequireAuthorization(Policies.FileCases)
            .WithName("FileCase").WithSummary("File a \"one thing\" case for an applicant (clerks)");
        cases.MapGet("/{id:guid}", GetCaseAsync).RequireAuthorization(Policies.ReadCases).WithName("GetCase")
            .WithSummary("A case with its steps and full history; the form in full only for its clerk and supervisors (audited)");
        cases.MapGet("/", ListCasesAsync).RequireAuthorization(Policies.ReadCases).WithName("ListCases").WithSummary("Cases, newest first, paged");
        return routes;
    }

    private static async Task<Results<Created<CaseResponse>, Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> FileCaseAsync(
        FileCaseRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        FileCase fileCase,
        OneThingDbContext db,
        WorkflowRegistry workflows,
        SlaClock slaClock,
        TimeProvider clock,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.WorkflowId))
        {
            errors["workflowId"] = ["workflowId is required: the id of a \"one thing\" from GET /api/workflows."];
        }

        if (request.Form is not { ValueKind: System.Text.Json.JsonValueKind.Object })
        {
            errors["form"] = ["form is required and must be a JSON object of field keys and values."];
        }

        if (idempotencyKey is { Length: 0 or > MaxIdempotencyKeyLength })
        {
            errors["Idempotency-Key"] = [$"The Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The case request is incomplete");
        }

        var result = await fileCase.HandleAsync(new FileCaseCommand(request.WorkflowId!, request.Form!.Value, idempotencyKey, http.AuditActor()), cancellationToken);
        switch (result)
        {
            case FileCaseResult.Filed filed:
                var body = (await CaseQueries.GetCaseAsync(db, workflows, slaClock, clock, filed.CaseId, http.User, cancellationToken))!;
                return filed.Created ? TypedResults.Created($"/api/cases/{filed.CaseId}", body) : TypedResults.Ok(body);
            case FileCaseResult.UnknownWorkflow unknown:
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["workflowId"] = [$"There is no workflow '{unknown.WorkflowId}'. See GET /api/workflows."] },
                    title: "Unknown workflow");
            case FileCaseResult.InvalidForm invalid:
                return Problems.InvalidForm(invalid.Errors);
            case FileCaseResult.IdempotencyKeyReused reused:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency-Key reused",
                    detail: $"This Idempotency-Key was already used for case {reused.ExistingCaseId} with a different request.");
            default:
                throw new InvalidOperationException($"Unexpected result {result.GetType().Name}");
        }
    }

    private static async Task<Results<Ok<CaseResponse>, ProblemHttpResult>> GetCaseAsync(
        Guid id, OneThingDbContext db, WorkflowRegistry workflows, SlaClock slaClock, TimeProvider clock, AuditTrail audit, HttpContext http,
        CancellationToken cancellationToken)
    {
        var found = await CaseQueries.GetCaseAsync(db, workflows, slaClock, clock, id, http.User, cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"There is no case {id}.");
        }

        if (!found.FormMasked && found.FormHasPersonalData)
        {
            await audit.RecordAsync(http.AuditActor(), AuditActions.PersonalDataRead, AuditTargets.Case, id.ToString(), found.CaseNumber, cancellationToken);
        }

        return TypedResults.Ok(found);
    }

    private static async Task<Results<Ok<CasePage>, ValidationProblem>> ListCasesAsync(
        OneThingDbContext db,
        string? status,
        string? workflowId,
        int? page,
        int? pageSize,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !CaseQueries.Statuses.Contains(status))
        {
            errors["status"] = [$"status must be one of: {string.Join(", ", CaseQueries.Statuses)}."];
        }

        if (page is < 1)
        {
            errors["page"] = ["page starts at 1."];
        }

        if (pageSize is < 1 or > 200)
        {
            errors["pageSize"] = ["pageSize must be between 1 and 200."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await CaseQueries.ListCasesAsync(db, status, workflowId, page ?? 1, pageSize ?? 20, cancellationToken));
    }
}
