using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Engine;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Accounts;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Cases;

/// <param name="Sla">The joined department's deadline, e.g. 2 workdays.</param>
public sealed record JoinDepartmentRequest(string? Department, string? Reason, string? Sla);

public sealed record JoinedDepartmentResponse(Guid TaskId, Guid CaseId, string Department, string StepId, string TaskState, string? Sla, DateTimeOffset? DueAt);

/// <summary>一键协同: join a department to a running case, with a reason and a deadline.</summary>
public static class JoinedDepartmentEndpoints
{
    public static IEndpointRouteBuilder MapJoinedDepartmentEndpoints(this IEndpointRouteBuilder routes)
    {
        var cases = routes.MapGroup("/api/cases").WithTags("Cases");
        cases.MapPost("/{id:guid}/joined-departments", JoinAsync).RequireAuthorization(Policies.JoinDepartments).WithName("JoinDepartment")
            .WithSummary("一键协同: a supervisor (or the lead department's reviewer, where the workflow allows it) adds a department's task to a running case; "
                + "the case waits for it. Joining the same department again answers 200 with the task it made.");
        return routes;
    }

    private static async Task<Results<Created<JoinedDepartmentResponse>, Ok<JoinedDepartmentResponse>, ValidationProblem, ProblemHttpResult>> JoinAsync(
        Guid id, JoinDepartmentRequest? request, JoinDepartment join, OneThingDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        var (sla, problems) = JoinDepartment.Check(request?.Department, request?.Reason, request?.Sla);
        var errors = problems.ToDictionary(problem => problem.Key, problem => new[] { problem.Value });
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid request to join a department");
        }

        var byReviewer = http.User.IsInRole(Roles.Reviewer);
        var result = await join.HandleAsync(new JoinDepartmentCommand(id, request!.Department!, sla!, request.Reason!.Trim(), http.AuditActor(),
            byReviewer ? Joiner.LeadDepartment : Joiner.Supervisor, byReviewer ? http.User.Department() : null), cancellationToken);
        if (result.Value is not { } joined)
        {
            return CommandProblems.For(result.Refusal!, $"There is no case {id}.", "Invalid request to join a department");
        }

        var body = await db.DepartmentTasks.AsNoTracking().Where(t => t.Id == joined.TaskId)
            .Select(t => new JoinedDepartmentResponse(t.Id, t.CaseId, t.Department, t.StepId, TaskStateNames.Of(t.State), t.Sla, t.DueAt))
            .SingleAsync(cancellationToken);
        return joined.Created ? TypedResults.Created($"/api/cases/{id}", body) : TypedResults.Ok(body);
    }
}
