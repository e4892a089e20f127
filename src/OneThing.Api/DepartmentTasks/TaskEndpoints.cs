using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Processing.Accounts;
using OneThing.Processing.Commands;
using OneThing.Engine;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.DepartmentTasks;

public static class TaskEndpoints
{
    internal const int MaxTextLength = 2000;
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

    private static async Task<Results<Ok<DepartmentTaskPage>, ProblemHttpResult, ValidationProblem>> GetInboxAsync(
        string code, string? status, string? light, string? step, string? caseNumber, int? page, int? pageSize, OneThingDbContext db,
        WorkflowRegistry workflows, SlaClock slaClock, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var reviewer = http.User.IsInRole(Roles.Reviewer);
        if (!workflows.Departments.HasInbox(code) || (reviewer && http.User.Department() != code))
        {
            return Problems.NotFound($"There is no department '{code}'. See GET /api/departments.");
        }

        var (filter, errors) = InboxFilter.From(status, light, step, caseNumber, page, pageSize);
        if (filter is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await InboxQueries.PageAsync(db, workflows, slaClock, clock, code, filter, fullValues: reviewer, cancellationToken));
    }

    /// <remarks>Takes no body: the assignee is whoever is signed in.</remarks>
    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> ClaimAsync(
        Guid id, ClaimTask claim, OneThingDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        if (!await IsOwnDepartmentTaskAsync(db, id, http, cancellationToken))
        {
            return NoSuchTask(id);
        }

        return Answer(id, await claim.HandleAsync(id, http.AuditActor(), cancellationToken));
    }

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> ApproveAsync(
        Guid id, ApproveTaskRequest? request, DecideTask decide, OneThingDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        if (!await IsOwnDepartmentTaskAsync(db, id, http, cancellationToken))
        {
            return NoSuchTask(id);
        }

        if (request?.Comment is { Length: > MaxTextLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["comment"] = [$"comment is at most {MaxTextLength} characters."] });
        }

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
        Guid id, RejectTaskRequest? request, DecideTask decide, OneThingDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        if (!await IsOwnDepartmentTaskAsync(db, id, http, cancellationToken))
        {
            return NoSuchTask(id);
        }

        if (string.IsNullOrWhiteSpace(request?.Reason) || request.Reason.Length > MaxTextLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [$"A rejection needs a reason (1 to {MaxTextLength} characters) that the clerk can pass on to the applicant."],
            });
        }

        var result = await decide.HandleAsync(
            new DecideTaskCommand(id, Decision.Reject, request.Reason.Trim(), http.AuditActor(), DecisionSource.Reviewer),
            cancellationToken);
        return Answer(id, result);
    }

    /// <summary>
    /// A reviewer acts only on their own department's tasks. Another department's task answers exactly like a task
    /// that does not exist, so its existence does not leak.
    /// </summary>
    internal static async Task<bool> IsOwnDepartmentTaskAsync(OneThingDbContext db, Guid taskId, HttpContext http, CancellationToken cancellationToken)
    {
        var department = await db.DepartmentTasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => t.Department).SingleOrDefaultAsync(cancellationToken);
        return department is not null && department == http.User.Department();
    }

    internal static ProblemHttpResult NoSuchTask(Guid id) => Problems.NotFound($"There is no task {id}.");

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> RequestSupplementAsync(
        Guid id, RequestSupplementRequest? request, RequestSupplement requestSupplement, OneThingDbContext db, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (!await IsOwnDepartmentTaskAsync(db, id, http, cancellationToken))
        {
            return NoSuchTask(id);
        }

        if (string.IsNullOrWhiteSpace(request?.Message) || request.Message.Length > MaxTextLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["message"] = [$"Say what the clerk must supply (1 to {MaxTextLength} characters), e.g. 请补充户口簿复印件."],
            });
        }

        return Answer(id, await requestSupplement.HandleAsync(id, request.Message.Trim(), http.AuditActor(), cancellationToken));
    }

    /// <summary>Answers from the task and case as the command left them; nothing is read back.</summary>
    internal static Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem> Answer(Guid id, CommandResult<TaskChange> result) =>
        result.Value is { } change
            ? TypedResults.Ok(new TaskDecisionResponse(change.TaskId, change.TaskState, change.CaseId, change.CaseStatus))
            : CommandProblems.For(result.Refusal!, $"There is no task {id}.", invalidTitle: "Invalid decision");
}
