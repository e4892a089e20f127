using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;

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
        cases.MapPost("/{id:guid}/supplements", SubmitSupplementAsync).RequireAuthorization(Policies.FileCases).WithName("SubmitSupplement")
            .WithSummary("补正: the clerk submits what a reviewer asked for; the waiting tasks resume with the same reviewers");
        cases.MapPost("/{id:guid}/withdraw", WithdrawAsync).RequireAuthorization(Policies.FileCases).WithName("WithdrawCase")
            .WithSummary("撤回: the applicant withdraws through a clerk; open tasks are cancelled and their departments told");
        return routes;
    }

    private static async Task<Results<Created<CaseResponse>, Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> FileCaseAsync(
        FileCaseRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        FileCase fileCase,
        CaseQueries cases,
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
        if (result.Value is not { } filed)
        {
            return CommandProblems.For(result.Refusal!, $"There is no workflow '{request.WorkflowId}'.");
        }

        var body = filed.Written is { } written
            ? cases.Written(written, http.User)
            : (await cases.GetCaseAsync(filed.CaseId, http.User, cancellationToken))!;
        return filed.Created ? TypedResults.Created($"/api/cases/{filed.CaseId}", body) : TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> SubmitSupplementAsync(
        Guid id, SubmitSupplementRequest request, SubmitSupplement submit, CaseQueries cases, HttpContext http, CancellationToken cancellationToken)
    {
        request = request with { Form = request.Form.Present(), Attachments = request.Attachments.Present() };
        var errors = new Dictionary<string, string[]>();
        if (request.Form is { } form && form.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            errors["form"] = ["form must be a JSON object of the fields to change."];
        }

        if (request.Attachments is { } attachments && attachments.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            errors["attachments"] = ["attachments must be a list of { attachmentId } of files uploaded with POST /api/attachments."];
        }

        if (request.Form is null && request.Attachments is null)
        {
            errors["form"] = ["A supplement changes form fields (form) or adds materials (attachments), or both."];
        }

        if ((request.Form is { } changes && !FormValidator.HasValidText(changes)) || (request.Attachments is { } added && !FormValidator.HasValidText(added)))
        {
            errors["form"] = ["The supplement contains text that is not valid UTF-8 or a NUL character (U+0000)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The supplement is incomplete");
        }

        var result = await submit.HandleAsync(
            new SubmitSupplementCommand(id, request.Form, request.Attachments, request.Note?.Trim(), http.AuditActor()), cancellationToken);
        return await AnswerAsync(id, result, cases, http, cancellationToken);
    }

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> WithdrawAsync(
        Guid id, WithdrawCaseRequest? request, WithdrawCase withdraw, CaseQueries cases, HttpContext http, CancellationToken cancellationToken) =>
        await AnswerAsync(id, await withdraw.HandleAsync(id, request?.Reason, http.AuditActor(), cancellationToken), cases, http, cancellationToken);

    private static async Task<Results<Ok<CaseResponse>, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        Guid id, CommandResult<Unit> result, CaseQueries cases, HttpContext http, CancellationToken cancellationToken) =>
        result.IsDone
            ? TypedResults.Ok((await cases.ReadAuditedAsync(id, http, cancellationToken))!)
            : CommandProblems.For(result.Refusal!, $"There is no case {id}.");

    private static async Task<Results<Ok<CaseResponse>, ProblemHttpResult>> GetCaseAsync(
        Guid id, CaseQueries cases, HttpContext http, CancellationToken cancellationToken) =>
        await cases.ReadAuditedAsync(id, http, cancellationToken) is { } found
            ? TypedResults.Ok(found)
            : Problems.NotFound($"There is no case {id}.");

    private static async Task<Results<Ok<CasePage>, ValidationProblem>> ListCasesAsync(
        CaseQueries cases,
        string? status,
        string? workflowId,
        int? page,
        int? pageSize,
        CancellationToken cancellationToken)
    {
        var errors = Paging.Check(page, pageSize, maxPageSize: 200);
        if (status is not null && !CaseQueries.Statuses.Contains(status))
        {
            errors["status"] = [$"status must be one of: {string.Join(", ", CaseQueries.Statuses)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await cases.ListCasesAsync(status, workflowId, page ?? 1, pageSize ?? 20, cancellationToken));
    }
}
