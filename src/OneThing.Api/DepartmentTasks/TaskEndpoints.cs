using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Processing.Accounts;
using OneThing.Processing.Commands;
using OneThing.Engine;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Workflows;

namespace OneThing.Api.DepartmentTasks;

public static class TaskEndpoints
{
    private const int MaxChosenDepartments = 50;

    public static IEndpointRouteBuilder MapDepartmentTaskEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/departments/{code}/tasks", GetInboxAsync).RequireAuthorization(Policies.ReadInboxes)
            .WithTags("Department tasks").WithName("GetDepartmentInbox")
            .WithSummary("A department's inbox, most urgent first, a page at a time with the total; filters by state, light, step and case number; " +
                "only the form fields the department may see (reviewers: their own department only)");

        var tasks = routes.MapGroup("/api/tasks").WithTags("Department tasks").RequireAuthorization(Policies.DecideTasks);
        tasks.MapPost("/{id:guid}/claim", ClaimAsync).WithName("ClaimTask").WithSummary("Take an open task of your department as its reviewer");
        tasks.MapPost("/{id:guid}/approve", ApproveAsync).WithName("ApproveTask")
            .WithSummary("Approve a task, with an optional comment, the outcome and the fields the department provides");
        tasks.MapPost("/{id:guid}/reject", RejectAsync).WithName("RejectTask").WithSummary("Reject a task with a reason the clerk passes on to the applicant");
        tasks.MapPost("/{id:guid}/request-supplement", RequestSupplementAsync).WithName("RequestSupplement")
            .WithSummary("补正: ask the clerk for more material; the task waits with its deadline clock stopped");
        return routes;
    }

    /// <summary>What the inbox endpoint reads from the request and the services it asks, bound in one piece.</summary>
    internal sealed record InboxRequest(string Code, string? Status, string? Light, string? Step, string? CaseNumber, int? Page, int? PageSize,
        InboxQueries Inbox, WorkflowRegistry Workflows, HttpContext Http);

    private static async Task<Results<Ok<DepartmentTaskPage>, ProblemHttpResult, ValidationProblem>> GetInboxAsync(
        [AsParameters] InboxRequest request, CancellationToken cancellationToken)
    {
        var user = request.Http.User;
        var reviewer = user.IsInRole(Roles.Reviewer);
        if (!request.Workflows.Departments.HasInbox(request.Code) || (reviewer && user.Department() != request.Code))
        {
            return Problems.NotFound($"There is no department '{request.Code}'. See GET /api/departments.");
        }

        var (filter, errors) = InboxFilter.From(request.Status, request.Light, request.Step, request.CaseNumber, request.Page, request.PageSize);
        if (filter is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await request.Inbox.PageAsync(request.Code, filter, fullValues: reviewer, cancellationToken));
    }

    /// <remarks>Takes no body: the assignee is whoever is signed in.</remarks>
    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> ClaimAsync(
        Guid id, ClaimTask claim, HttpContext http, CancellationToken cancellationToken) =>
        Answer(id, await claim.HandleAsync(id, http.AuditActor(), cancellationToken));

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> ApproveAsync(
        Guid id, ApproveTaskRequest? request, DecideTask decide, HttpContext http, CancellationToken cancellationToken)
    {
        if (request?.Form.Present() is { } provided && !FormValidator.HasValidText(provided))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["form"] = ["form contains text that is not valid UTF-8 or a NUL character (U+0000)."] });
        }

        if (request?.Departments is { } chosen && (chosen.Count > MaxChosenDepartments || chosen.Any(department => department is not { Length: > 0 and <= 64 })))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["departments"] = [$"departments lists 1 to {MaxChosenDepartments} department codes of at most 64 characters (承办部门代码有误)."],
            });
        }

        var outcome = string.IsNullOrWhiteSpace(request?.Outcome) ? null : request.Outcome.Trim();
        var result = await decide.HandleAsync(
            new DecideTaskCommand(id, Decision.Approve, request?.Comment, http.AuditActor(), DecisionSource.Reviewer, outcome,
                request?.Form.Present(), request?.Departments?.Select(department => department?.Trim() ?? "").ToList()),
            cancellationToken);
        return Answer(id, result);
    }

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> RejectAsync(
        Guid id, RejectTaskRequest? request, DecideTask decide, HttpContext http, CancellationToken cancellationToken) =>
        Answer(id, await decide.HandleAsync(
            new DecideTaskCommand(id, Decision.Reject, request?.Reason?.Trim(), http.AuditActor(), DecisionSource.Reviewer), cancellationToken));

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> RequestSupplementAsync(
        Guid id, RequestSupplementRequest? request, RequestSupplement requestSupplement, HttpContext http, CancellationToken cancellationToken) =>
        Answer(id, await requestSupplement.HandleAsync(id, request?.Message, http.AuditActor(), cancellationToken));

    /// <summary>Answers from the task and case as the command left them; nothing is read back.</summary>
    internal static Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem> Answer(Guid id, CommandResult<TaskChange> result) =>
        result.Value is { } change
            ? TypedResults.Ok(new TaskDecisionResponse(change.TaskId, TaskStateNames.Of(change.TaskState), change.CaseId, change.CaseStatus))
            : CommandProblems.For(result.Refusal!, $"There is no task {id}.", invalidTitle: "Invalid decision");
}
