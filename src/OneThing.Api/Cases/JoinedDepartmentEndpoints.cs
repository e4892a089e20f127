using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Engine;
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
    public const int MaxSlaWorkdays = 30;

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
        var errors = new Dictionary<string, string[]>();
        if (request?.Department is not { Length: > 0 and <= 64 })
        {
            errors["department"] = ["department is required: the code of a department in departments.yaml, e.g. law-enforcement (协办部门必填)."];
        }

        if (string.IsNullOrWhiteSpace(request?.Reason) || request.Reason.Trim().Length > JoinDepartment.MaxReasonLength)
        {
            errors["reason"] = [$"A reason (1 to {JoinDepartment.MaxReasonLength} characters) is required, e.g. 涉及占道经营，需城管协同 (协同理由必填)."];
        }

        Sla? sla = null;
        if (request?.Sla is not { Length: > 0 and <= 32 } slaText)
        {
            errors["sla"] = ["sla is required: the joined department's deadline, e.g. 2 workdays (协办时限必填)."];
        }
        else if (!Sla.TryParse(slaText, out sla, out var slaError))
        {
            errors["sla"] = [$"{slaError} (协办时限格式有误)."];
        }
        else if (sla.Unit is SlaUnit.WorkDays && sla.Amount > MaxSlaWorkdays)
        {
            errors["sla"] = [$"sla is at most {MaxSlaWorkdays} workdays (协办时限过长)."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid request to join a department");
        }

        var byReviewer = http.User.IsInRole(Roles.Reviewer);
        var result = await join.HandleAsync(new JoinDepartmentCommand(id, request!.Department!, sla!, request.Reason!.Trim(), http.AuditActor(),
            byReviewer ? Joiner.LeadDepartment : Joiner.Supervisor, byReviewer ? http.User.Department() : null), cancellationToken);
        switch (result)
        {
            case JoinDepartmentResult.Joined joined:
                var body = await db.DepartmentTasks.AsNoTracking().Where(t => t.Id == joined.TaskId)
                    .Select(t => new JoinedDepartmentResponse(t.Id, t.CaseId, t.Department, t.StepId, t.State, t.Sla, t.DueAt))
                    .SingleAsync(cancellationToken);
                return joined.Created ? TypedResults.Created($"/api/cases/{id}", body) : TypedResults.Ok(body);
            case JoinDepartmentResult.Invalid invalid:
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] },
                    title: "Invalid request to join a department");
            case JoinDepartmentResult.Forbidden forbidden:
                return Problems.Forbidden(forbidden.Message);
            case JoinDepartmentResult.Conflict conflict:
                return Problems.Conflict(conflict.Message);
            default:
                return Problems.NotFound($"There is no case {id}.");
        }
    }
}
