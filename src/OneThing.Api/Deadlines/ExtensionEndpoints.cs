using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Processing.Commands;
using OneThing.Processing.Deadlines;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Deadlines;

public sealed record ExtensionRequestBody(int? WorkingDays, string? Reason);

/// <param name="WorkingDays">Approval only: fewer working days than asked; all of them when left out.</param>
public sealed record ExtensionDecisionBody(int? WorkingDays, string? Reason);

public sealed record ExtensionRequestResponse(
    Guid Id,
    Guid CaseId,
    string CaseNumber,
    Guid TaskId,
    string StepId,
    string Department,
    string RequestedBy,
    int RequestedDays,
    string Reason,
    DateTimeOffset RequestedAt,
    string State,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    int? GrantedDays,
    string? DecisionReason,
    DateTimeOffset? DueBefore,
    DateTimeOffset? DueAfter);

public sealed record ExtensionRequestPage(IReadOnlyList<ExtensionRequestResponse> Items, int Page, int PageSize, int Total);

/// <summary>延期: a reviewer asks for more working days on a task; a supervisor grants or refuses them.</summary>
public static class ExtensionEndpoints
{
    public static IEndpointRouteBuilder MapExtensionEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/tasks/{id:guid}/extension-requests", RequestAsync).RequireAuthorization(Policies.DecideTasks)
            .WithTags("Department tasks").WithName("RequestExtension")
            .WithSummary("延期: ask a supervisor for more working days on an open task of your department, with a reason");

        var supervision = routes.MapGroup("/api/supervision/extension-requests").WithTags("Supervision").RequireAuthorization(Policies.Supervise);
        supervision.MapGet("/", ListAsync).WithName("ListExtensionRequests")
            .WithSummary("Extension requests: state=pending (the default, oldest first), approved, refused or all");
        supervision.MapPost("/{id:guid}/approve", ApproveAsync).WithName("ApproveExtension")
            .WithSummary("Grant an extension (all the working days asked, or fewer); the task's due time and timers move on");
        supervision.MapPost("/{id:guid}/refuse", RefuseAsync).WithName("RefuseExtension")
            .WithSummary("Refuse an extension with a reason; the task keeps its deadline");
        return routes;
    }

    private static async Task<Results<Created<ExtensionRequestResponse>, ProblemHttpResult, ValidationProblem>> RequestAsync(
        Guid id, ExtensionRequestBody? body, RequestExtension requestExtension, OneThingDbContext db, HttpContext http,
        CancellationToken cancellationToken)
    {
        var result = await requestExtension.HandleAsync(
            new RequestExtensionCommand(id, body?.WorkingDays, body?.Reason, http.AuditActor()), cancellationToken);
        return result.Value is { } request
            ? TypedResults.Created("/api/supervision/extension-requests?state=all", await ResponseAsync(db, request.Id, cancellationToken))
            : CommandProblems.For(result.Refusal!, $"There is no task {id}.", invalidTitle: "Invalid extension request");
    }

    private static async Task<Results<Ok<ExtensionRequestPage>, ValidationProblem>> ListAsync(
        OneThingDbContext db, string? state, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        state ??= ExtensionStates.Pending;
        var errors = Paging.Check(page, pageSize, maxPageSize: 200);
        if (state != "all" && !ExtensionStates.All.Contains(state))
        {
            errors["state"] = [$"state is one of: all, {string.Join(", ", ExtensionStates.All)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.ExtensionRequests.AsNoTracking().Where(r => state == "all" || r.State == state);
        var (number, size) = (page ?? 1, pageSize ?? 50);
        var items = await Rows(db, query).Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ExtensionRequestPage(items, number, size, await query.CountAsync(cancellationToken)));
    }

    private static Task<Results<Ok<ExtensionRequestResponse>, ProblemHttpResult, ValidationProblem>> ApproveAsync(
        Guid id, ExtensionDecisionBody? body, DecideExtension decide, OneThingDbContext db, HttpContext http, CancellationToken cancellationToken) =>
        DecideAsync(id, new DecideExtensionCommand(id, Approve: true, body?.WorkingDays, body?.Reason, http.AuditActor()), decide, db, cancellationToken);

    private static Task<Results<Ok<ExtensionRequestResponse>, ProblemHttpResult, ValidationProblem>> RefuseAsync(
        Guid id, ExtensionDecisionBody? body, DecideExtension decide, OneThingDbContext db, HttpContext http, CancellationToken cancellationToken) =>
        DecideAsync(id, new DecideExtensionCommand(id, Approve: false, null, body?.Reason, http.AuditActor()), decide, db, cancellationToken);

    private static async Task<Results<Ok<ExtensionRequestResponse>, ProblemHttpResult, ValidationProblem>> DecideAsync(
        Guid id, DecideExtensionCommand command, DecideExtension decide, OneThingDbContext db, CancellationToken cancellationToken)
    {
        var result = await decide.HandleAsync(command, cancellationToken);
        return result.IsDone
            ? TypedResults.Ok(await ResponseAsync(db, id, cancellationToken))
            : CommandProblems.For(result.Refusal!, $"There is no extension request {id}.", invalidTitle: "Invalid extension decision");
    }

    private static Task<ExtensionRequestResponse> ResponseAsync(OneThingDbContext db, Guid id, CancellationToken cancellationToken) =>
        Rows(db, db.ExtensionRequests.AsNoTracking().Where(r => r.Id == id)).SingleAsync(cancellationToken);

    /// <summary>Oldest first; filter <paramref name="requests"/> before, page after.</summary>
    internal static IQueryable<ExtensionRequestResponse> Rows(OneThingDbContext db, IQueryable<ExtensionRequest> requests) =>
        from request in requests
        join task in db.DepartmentTasks on request.TaskId equals task.Id
        join @case in db.Cases on request.CaseId equals @case.Id
        orderby request.RequestedAt, request.Id
        select new ExtensionRequestResponse(request.Id, request.CaseId, @case.CaseNumber, request.TaskId, task.StepId, request.Department,
            request.RequestedBy, request.RequestedDays, request.Reason, request.RequestedAt, request.State, request.DecidedBy, request.DecidedAt,
            request.GrantedDays, request.DecisionReason, request.DueBefore, request.DueAfter);
}
