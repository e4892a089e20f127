using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Api.Accounts;
using OneThing.Api.DepartmentTasks;
using OneThing.Processing.Accounts;
using OneThing.Api.Extensions;
using OneThing.Processing.Deadlines;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;
using OneThing.Processing.Supervision;
using OneThing.Processing.Workflows;
using OneThing.Api.Supervision.Screen;

namespace OneThing.Api.Supervision;

/// <summary>督办: what supervisors at the governance centre watch and do about missed deadlines.</summary>
public static class SupervisionEndpoints
{
    public static IEndpointRouteBuilder MapSupervisionEndpoints(this IEndpointRouteBuilder routes)
    {
        var supervision = routes.MapGroup("/api/supervision").WithTags("Supervision").RequireAuthorization(Policies.Supervise);
        supervision.MapGet("/overview", OverviewAsync).WithName("SupervisionOverview")
            .WithSummary("Open tasks by light (green / yellow / red), department and workflow; street=<code> narrows it to the cases of one street or town");
        supervision.MapGet("/breaches", BreachesAsync).WithName("SupervisionBreaches")
            .WithSummary("Open tasks past their deadline, most overdue first; department= and street= narrow it");
        supervision.MapGet("/departments", DepartmentsAsync).WithName("SupervisionDepartments")
            .WithSummary("Per department: open and overdue tasks, median and p90 handling time in working hours (last 90 days); street= narrows it");
        supervision.MapGet("/notifications", NotificationsAsync).WithName("SupervisionNotifications")
            .WithSummary("Notifications not delivered: state=failed (given up after the last retry, the default) or state=pending (being retried)");
        supervision.MapGet("/ratings", RatingsAsync).WithName("SupervisionRatings")
            .WithSummary("好差评 per department and matter over the last days= (default 90): counts per level and the share of bad ratings answered on time");
        supervision.MapGet("/timers", TimersAsync).WithName("SupervisionTimers")
            .WithSummary("Deadline timers whose firing threw: state=failed (given up after the last try, the default) or state=retrying");
        supervision.MapGet("/screen", ScreenAsync).WithName("SupervisionScreen")
            .WithSummary("一屏观天下: open cases and tasks by street, matter and light; the places with most incidents in 30 days (hotspots=1..20, default 10); breaches per day over 30 days with 7- and 30-day totals");

        routes.MapPost("/api/cases/{id:guid}/urge", UrgeAsync).RequireAuthorization(Policies.Supervise).WithTags("Supervision").WithName("UrgeCase")
            .WithSummary("催办: tell every department with an open task of the case to hurry");
        routes.MapPost("/api/tasks/{id:guid}/reassign", ReassignAsync).RequireAuthorization(Policies.Supervise).WithTags("Supervision")
            .WithName("ReassignTask").WithSummary("Hand an open task to another reviewer (by user name) of its department");
        return routes;
    }

    private static async Task<Results<Ok<RatingStatisticsResponse>, ValidationProblem>> RatingsAsync(
        OneThingDbContext db, WorkflowRegistry workflows, TimeProvider clock, int? days, CancellationToken cancellationToken)
    {
        if (days is < 1 or > RatingStatistics.MaxDays)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["days"] = [$"days must be from 1 to {RatingStatistics.MaxDays}. 统计天数应为1至{RatingStatistics.MaxDays}。"],
            });
        }

        return TypedResults.Ok(await RatingStatistics.ComputeAsync(db, workflows, clock.GetUtcNow().AddDays(-(days ?? 90)), cancellationToken));
    }

    private static async Task<Results<Ok<SupervisionOverview>, ValidationProblem>> OverviewAsync(
        SupervisionQueries supervision, WorkflowRegistry workflows, string? street, CancellationToken cancellationToken) =>
        StreetFilter.Check(workflows, street) is { } streetErrors
            ? TypedResults.ValidationProblem(streetErrors)
            : TypedResults.Ok(await supervision.OverviewAsync(street, cancellationToken));

    private static async Task<Results<Ok<BreachPage>, ValidationProblem>> BreachesAsync(SupervisionQueries supervision, WorkflowRegistry workflows,
        string? department, string? street, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        if (Paging.Check(page, pageSize, maxPageSize: 200) is { Count: > 0 } pageErrors)
        {
            return TypedResults.ValidationProblem(pageErrors);
        }

        if (StreetFilter.Check(workflows, street) is { } streetErrors)
        {
            return TypedResults.ValidationProblem(streetErrors);
        }

        return TypedResults.Ok(await supervision.BreachesAsync(department, street, page ?? 1, pageSize ?? 50, cancellationToken));
    }

    private static async Task<Results<Ok<List<DepartmentStatistics>>, ValidationProblem>> DepartmentsAsync(
        SupervisionQueries supervision, WorkflowRegistry workflows, string? street, CancellationToken cancellationToken) =>
        StreetFilter.Check(workflows, street) is { } streetErrors
            ? TypedResults.ValidationProblem(streetErrors)
            : TypedResults.Ok(await supervision.DepartmentsAsync(street, cancellationToken));

    private static async Task<Results<Ok<NotificationDeliveryPage>, ValidationProblem>> NotificationsAsync(
        OneThingDbContext db, string? state, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        state ??= NotificationDeliveries.Failed;
        if (state is not (NotificationDeliveries.Failed or NotificationDeliveries.Pending))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state"] = ["state is 'failed' or 'pending'."] });
        }

        if (Paging.Check(page, pageSize, maxPageSize: 200) is { Count: > 0 } pageErrors)
        {
            return TypedResults.ValidationProblem(pageErrors);
        }

        return TypedResults.Ok(await NotificationDeliveries.ListAsync(db, state, page ?? 1, pageSize ?? 50, cancellationToken));
    }

    private static async Task<Results<Ok<TimerFailurePage>, ValidationProblem>> TimersAsync(
        OneThingDbContext db, string? state, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        state ??= TimerFailures.Failed;
        if (state is not (TimerFailures.Failed or TimerFailures.Retrying))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state"] = ["state is 'failed' or 'retrying'."] });
        }

        if (page is < 1 or > 1_000_000 || pageSize is < 1 or > 200)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = ["page is 1 to 1,000,000 and pageSize is 1 to 200."] });
        }

        return TypedResults.Ok(await TimerFailures.ListAsync(db, state, page ?? 1, pageSize ?? 50, cancellationToken));
    }

    private static async Task<Results<Ok<GovernanceScreen>, ValidationProblem>> ScreenAsync(
        OneThingDbContext db, WorkflowRegistry workflows, TimeProvider clock, int? hotspots, CancellationToken cancellationToken) =>
        hotspots is < 1 or > MaxHotspots
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["hotspots"] = [$"hotspots is how many places to list, 1 to {MaxHotspots}. 热点地点数量应为 1 至 {MaxHotspots}。"],
            })
            : TypedResults.Ok(await ScreenQueries.ReadAsync(db, workflows, clock.GetUtcNow(), hotspots ?? 10, cancellationToken));

    private const int MaxHotspots = 20;

    private static async Task<Results<Ok<UrgeResponse>, ProblemHttpResult, ValidationProblem>> UrgeAsync(
        Guid id, UrgeRequest? request, UrgeCase urge, HttpContext http, CancellationToken cancellationToken)
    {
        var message = string.IsNullOrWhiteSpace(request?.Message) ? "请加快办理 / Please speed up handling" : request.Message.Trim();
        if (message.Length > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = ["message is at most 500 characters."] });
        }

        var result = await urge.HandleAsync(id, message, http.AuditActor(), cancellationToken);
        if (!result.IsDone)
        {
            return CommandProblems.For(result.Refusal!, $"There is no case {id}.");
        }

        var urged = result.Value;
        return urged == 0 ? Problems.Conflict("This case has no open task to urge.") : TypedResults.Ok(new UrgeResponse(id, urged));
    }

    private static async Task<Results<Ok<TaskDecisionResponse>, ProblemHttpResult, ValidationProblem>> ReassignAsync(
        Guid id, ReassignRequest? request, ReassignTask reassign, HttpContext http, CancellationToken cancellationToken) =>
        TaskEndpoints.Answer(id, await reassign.HandleAsync(id, request?.Assignee, http.AuditActor(), cancellationToken));
}
