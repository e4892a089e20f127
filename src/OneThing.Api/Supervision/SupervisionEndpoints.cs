using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Accounts;
using OneThing.Api.DepartmentTasks;
using OneThing.Processing.Accounts;
using OneThing.Api.Extensions;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Processing.Supervision;

namespace OneThing.Api.Supervision;

/// <summary>督办: what supervisors at the governance centre watch and do about missed deadlines.</summary>
public static class SupervisionEndpoints
{
    private const int StatisticsWindowDays = 90;

    public static IEndpointRouteBuilder MapSupervisionEndpoints(this IEndpointRouteBuilder routes)
    {
        var supervision = routes.MapGroup("/api/supervision").WithTags("Supervision").RequireAuthorization(Policies.Supervise);
        supervision.MapGet("/overview", OverviewAsync).WithName("SupervisionOverview")
            .WithSummary("Open tasks by light (green / yellow / red), department and workflow");
        supervision.MapGet("/breaches", BreachesAsync).WithName("SupervisionBreaches")
            .WithSummary("Open tasks past their deadline, most overdue first");
        supervision.MapGet("/departments", DepartmentsAsync).WithName("SupervisionDepartments")
            .WithSummary("Per department: open and overdue tasks, median and p90 handling time in working hours (last 90 days)");

        routes.MapPost("/api/cases/{id:guid}/urge", UrgeAsync).RequireAuthorization(Policies.Supervise).WithTags("Supervision").WithName("UrgeCase")
            .WithSummary("催办: tell every department with an open task of the case to hurry");
        routes.MapPost("/api/tasks/{id:guid}/reassign", ReassignAsync).RequireAuthorization(Policies.Supervise).WithTags("Supervision")
            .WithName("ReassignTask").WithSummary("Hand an open task to another reviewer (by user name) of its department");
        return routes;
    }

    private static async Task<Ok<SupervisionOverview>> OverviewAsync(OneThingDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await db.DepartmentTasks.AsNoTracking()
            .Where(t => TaskStates.Unfinished.Contains(t.State))
            .Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new { t.Department, c.WorkflowId, t.DueAt, t.WarnAt, t.PausedAt })
            .GroupBy(t => new
            {
                t.Department,
                t.WorkflowId,
                Light = t.DueAt == null ? 3 : t.PausedAt != null ? 0 : t.DueAt <= now ? 2 : t.WarnAt <= now ? 1 : 0,
            })
            .Select(g => new { g.Key.Department, g.Key.WorkflowId, g.Key.Light, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var openCases = await db.Cases.CountAsync(c => c.EndedAt == null, cancellationToken);

        LightCounts Count(IEnumerable<(int Light, int Count)> cells)
        {
            var byLight = cells.GroupBy(c => c.Light).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
            return new LightCounts(byLight.GetValueOrDefault(0), byLight.GetValueOrDefault(1), byLight.GetValueOrDefault(2), byLight.GetValueOrDefault(3));
        }

        return TypedResults.Ok(new SupervisionOverview(
            now,
            openCases,
            rows.Sum(r => r.Count),
            Count(rows.Select(r => (r.Light, r.Count))),
            rows.GroupBy(r => r.Department).OrderBy(g => g.Key)
                .Select(g => new GroupLightCounts(g.Key, Count(g.Select(r => (r.Light, r.Count))))).ToList(),
            rows.GroupBy(r => r.WorkflowId).OrderBy(g => g.Key)
                .Select(g => new GroupLightCounts(g.Key, Count(g.Select(r => (r.Light, r.Count))))).ToList()));
    }

    private static async Task<Results<Ok<BreachPage>, ValidationProblem>> BreachesAsync(
        OneThingDbContext db, SlaClock slaClock, TimeProvider clock, string? department, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        if (page is < 1 || pageSize is < 1 or > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = ["page starts at 1 and pageSize is 1 to 200."] });
        }

        var now = clock.GetUtcNow();
        var (pageNumber, size) = (page ?? 1, pageSize ?? 50);
        // Served by the partial index on open tasks' due_at: cost follows the number of overdue tasks, not of open ones.
        var overdue = db.DepartmentTasks.AsNoTracking()
            .Where(t => TaskStates.Unfinished.Contains(t.State) && t.DueAt != null && t.DueAt <= now && t.PausedAt == null);
        if (!string.IsNullOrEmpty(department))
        {
            overdue = overdue.Where(t => t.Department == department);
        }

        var total = await overdue.CountAsync(cancellationToken);
        var rows = await overdue
            .OrderBy(t => t.DueAt)
            .Skip((pageNumber - 1) * size).Take(size)
            .Join(db.Cases, t => t.CaseId, c => c.Id, (t, c) => new { Task = t, c.CaseNumber, c.WorkflowId })
            .ToListAsync(cancellationToken);
        var items = rows.Select(r => new BreachItem(r.Task.Id, r.Task.CaseId, r.CaseNumber, r.WorkflowId, r.Task.StepId, r.Task.Department,
                r.Task.State, r.Task.Assignee, r.Task.DueAt!.Value,
                Math.Round(slaClock.Calendar.WorkingTimeBetween(r.Task.DueAt!.Value, now).TotalHours, 2),
                Math.Round((now - r.Task.DueAt!.Value).TotalHours, 2),
                r.Task.EscalationLevel))
            .ToList();
        return TypedResults.Ok(new BreachPage(items, pageNumber, size, total));
    }

    private static async Task<Ok<List<DepartmentStatistics>>> DepartmentsAsync(
        OneThingDbContext db, SlaClock slaClock, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var open = await db.DepartmentTasks.AsNoTracking()
            .Where(t => TaskStates.Unfinished.Contains(t.State))
            .GroupBy(t => t.Department)
            .Select(g => new { Department = g.Key, Open = g.Count(), Overdue = g.Count(t => t.DueAt != null && t.DueAt <= now && t.PausedAt == null) })
            .ToDictionaryAsync(g => g.Department, cancellationToken);
        var since = now.AddDays(-StatisticsWindowDays);
        var handled = await db.DepartmentTasks.AsNoTracking()
            .Where(t => (t.State == TaskStates.Approved || t.State == TaskStates.Rejected) && t.EndedAt >= since)
            .Select(t => new { t.Department, t.CreatedAt, EndedAt = t.EndedAt!.Value, t.PausedSeconds })
            .ToListAsync(cancellationToken);
        var handlingHours = handled
            .GroupBy(t => t.Department)
            .ToDictionary(g => g.Key, g => g
                .Select(t => Math.Max(0, (slaClock.Calendar.WorkingTimeBetween(t.CreatedAt, t.EndedAt) - TimeSpan.FromSeconds(t.PausedSeconds)).TotalHours))
                .Order()
                .ToList());

        var statistics = open.Keys.Union(handlingHours.Keys).Order(StringComparer.Ordinal).Select(department =>
        {
            var hours = handlingHours.GetValueOrDefault(department) ?? [];
            return new DepartmentStatistics(
                department,
                open.GetValueOrDefault(department)?.Open ?? 0,
                open.GetValueOrDefault(department)?.Overdue ?? 0,
                hours.Count,
                Percentile(hours, 0.5),
                Percentile(hours, 0.9));
        }).ToList();
        return TypedResults.Ok(statistics);
    }

    private static async Task<Results<Ok<UrgeResponse>, ProblemHttpResult, ValidationProblem>> UrgeAsync(
        Guid id, UrgeRequest? request, UrgeCase urge, HttpContext http, CancellationToken cancellationToken)
    {
        var message = string.IsNullOrWhiteSpace(request?.Message) ? "请加快办理 / Please speed up handling" : request.Message.Trim();
        if (message.Length > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = ["message is at most 500 characters."] });
        }

        var (found, urged) = await urge.HandleAsync(id, message, http.AuditActor(), cancellationToken);
        if (!found)
        {
            return Problems.NotFound($"There is no case {id}.");
        }

        return urged == 0 ? Problems.Conflict("This case has no open task to urge.") : TypedResults.Ok(new UrgeResponse(id, urged));
    }

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> ReassignAsync(
        Guid id, ReassignRequest? request, ReassignTask reassign, OneThingDbContext db, HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Assignee) || request.Assignee.Length > 100)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["assignee"] = ["assignee (1 to 100 characters) is the user name of the reviewer who takes over."] });
        }

        var assignee = request.Assignee.Trim();
        var department = await db.DepartmentTasks.AsNoTracking().Where(t => t.Id == id).Select(t => t.Department).SingleOrDefaultAsync(cancellationToken);
        if (department is null)
        {
            return TaskEndpoints.NoSuchTask(id);
        }

        var normalized = assignee.ToUpperInvariant();
        var reviewer = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedUserName == normalized && u.Department == department
                && db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == Roles.Reviewer))
            .Select(u => u.UserName)
            .SingleOrDefaultAsync(cancellationToken);
        if (reviewer is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["assignee"] = [$"'{assignee}' is not a reviewer of {department}; a task goes only to a reviewer of its own department."],
            });
        }

        var result = await reassign.HandleAsync(id, reviewer, http.AuditActor(), cancellationToken);
        return await TaskEndpoints.AnswerAsync(id, result, db, cancellationToken);
    }

    private static double? Percentile(List<double> sorted, double share)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(share * sorted.Count) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Count - 1)], 2);
    }
}
