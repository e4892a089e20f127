using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Extensions;
using OneThing.Engine;
using OneThing.Api.Cases;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.DepartmentTasks;

public static class TaskEndpoints
{
    private const int MaxTextLength = 2000;
    private const string DefaultAssignee = "reviewer";

    public static IEndpointRouteBuilder MapDepartmentTaskEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/departments/{code}/tasks", GetInboxAsync)
            .WithTags("Department tasks").WithName("GetDepartmentInbox")
            .WithSummary("A department's inbox, with only the form fields the department may see");

        var tasks = routes.MapGroup("/api/tasks").WithTags("Department tasks");
        tasks.MapPost("/{id:guid}/claim", ClaimAsync).WithName("ClaimTask");
        tasks.MapPost("/{id:guid}/approve", ApproveAsync).WithName("ApproveTask");
        tasks.MapPost("/{id:guid}/reject", RejectAsync).WithName("RejectTask");
        tasks.MapPost("/{id:guid}/request-supplement", RequestSupplementAsync).WithName("RequestSupplement")
            .WithSummary("补正: ask the clerk for more material; the task waits with its deadline clock stopped");
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<DepartmentTaskResponse>>, ProblemHttpResult, ValidationProblem>> GetInboxAsync(
        string code, string? status, OneThingDbContext db, WorkflowRegistry workflows, SlaClock slaClock, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!workflows.Departments.Contains(code))
        {
            return Problems.NotFound($"There is no department '{code}'. See GET /api/departments.");
        }

        if (status is not null && status != "all" && !TaskStates.All.Contains(status))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = [$"status must be one of: all, {string.Join(", ", TaskStates.All)}."],
            });
        }

        var query = db.DepartmentTasks.AsNoTracking().Where(t => t.Department == code && t.Kind != "automated");
        query = status switch
        {
            null => query.Where(t => t.State == TaskStates.Open || t.State == TaskStates.Claimed || t.State == TaskStates.AwaitingSupplement),
            "all" => query,
            _ => query.Where(t => t.State == status),
        };

        var rows = await query
            .OrderBy(t => t.DueAt == null).ThenBy(t => t.DueAt).ThenBy(t => t.CreatedAt)
            .Take(500)
            .Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new { Task = t, c.CaseNumber, c.WorkflowId, c.WorkflowVersion, c.Form })
            .ToListAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var inbox = new List<DepartmentTaskResponse>(rows.Count);
        foreach (var row in rows)
        {
            var definition = await workflows.GetAsync(db, row.WorkflowId, row.WorkflowVersion, cancellationToken);
            var step = definition.FindStep(row.Task.StepId)!;
            using var form = System.Text.Json.JsonDocument.Parse(row.Form);
            var visible = FormData.FromJson(form.RootElement).Project(step.Sees).ToJson();
            inbox.Add(new DepartmentTaskResponse(row.Task.Id, row.Task.CaseId, row.CaseNumber, row.WorkflowId, row.Task.StepId, step.Name,
                row.Task.Department, row.Task.Kind, row.Task.State, row.Task.Assignee, row.Task.DispatchAttempts,
                row.Task.CreatedAt, row.Task.AcknowledgedAt, row.Task.EndedAt, CaseQueries.TaskDeadline(slaClock, row.Task, now), visible)
            {
                Outcomes = step.Outcomes,
                Outcome = row.Task.Outcome,
                Provides = step.Provides,
            });
        }

        return TypedResults.Ok<IReadOnlyList<DepartmentTaskResponse>>(inbox);
    }

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> ClaimAsync(
        Guid id, ClaimTaskRequest? request, ClaimTask claim, OneThingDbContext db, CancellationToken cancellationToken)
    {
        var assignee = string.IsNullOrWhiteSpace(request?.Assignee) ? DefaultAssignee : request.Assignee.Trim();
        if (assignee.Length > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["assignee"] = ["assignee is at most 100 characters."] });
        }

        return await AnswerAsync(id, await claim.HandleAsync(id, assignee, cancellationToken), db, cancellationToken);
    }

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> ApproveAsync(
        Guid id, ApproveTaskRequest? request, DecideTask decide, OneThingDbContext db, CancellationToken cancellationToken)
    {
        if (request?.Comment is { Length: > MaxTextLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["comment"] = [$"comment is at most {MaxTextLength} characters."] });
        }

        var outcome = string.IsNullOrWhiteSpace(request?.Outcome) ? null : request.Outcome.Trim();
        var result = await decide.HandleAsync(
            new DecideTaskCommand(id, Decision.Approve, request?.Comment, await ActorAsync(id, db, cancellationToken), DecisionSource.Reviewer, outcome,
                request?.Form.Present()),
            cancellationToken);
        return await AnswerAsync(id, result, db, cancellationToken);
    }

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> RejectAsync(
        Guid id, RejectTaskRequest? request, DecideTask decide, OneThingDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Reason) || request.Reason.Length > MaxTextLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [$"A rejection needs a reason (1 to {MaxTextLength} characters) that the clerk can pass on to the applicant."],
            });
        }

        var result = await decide.HandleAsync(
            new DecideTaskCommand(id, Decision.Reject, request.Reason.Trim(), await ActorAsync(id, db, cancellationToken), DecisionSource.Reviewer),
            cancellationToken);
        return await AnswerAsync(id, result, db, cancellationToken);
    }

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> RequestSupplementAsync(
        Guid id, RequestSupplementRequest? request, RequestSupplement requestSupplement, OneThingDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Message) || request.Message.Length > MaxTextLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["message"] = [$"Say what the clerk must supply (1 to {MaxTextLength} characters), e.g. 请补充户口簿复印件."],
            });
        }

        return await AnswerAsync(id, await requestSupplement.HandleAsync(id, request.Message.Trim(), cancellationToken), db, cancellationToken);
    }

    private static async Task<string> ActorAsync(Guid taskId, OneThingDbContext db, CancellationToken cancellationToken) =>
        await db.DepartmentTasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => t.Assignee).SingleOrDefaultAsync(cancellationToken)
        ?? DefaultAssignee;

    internal static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> AnswerAsync(
        Guid id, TaskCommandResult result, OneThingDbContext db, CancellationToken cancellationToken)
    {
        switch (result.Status)
        {
            case TaskCommandStatus.NotFound:
                return Problems.NotFound($"There is no task {id}.");
            case TaskCommandStatus.Conflict:
                return Problems.Conflict(result.Message!);
            case TaskCommandStatus.Invalid:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["decision"] = [result.Message!] }, title: "Invalid decision");
        }

        var answer = await db.DepartmentTasks.AsNoTracking()
            .Where(t => t.Id == id)
            .Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new TaskDecisionResponse(t.Id, t.State, c.Id, c.Status))
            .SingleAsync(cancellationToken);
        return TypedResults.Ok(answer);
    }
}
