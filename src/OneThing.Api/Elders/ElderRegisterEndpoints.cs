using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Accounts;
using OneThing.Api.Extensions;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Elders;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Elders;

public sealed record EnrolElderRequest(string? MeterId, string? Name, string? Address, string? Grid, string? FamilyPhone, DateOnly? EnrolledOn);

public sealed record UpdateEnrolmentRequest(string? Name, string? Address, string? Grid, string? FamilyPhone);

public sealed record EndEnrolmentRequest(string? Reason);

/// <param name="Masked">True in the list: name, address and phone are masked; one enrolment read by its meter is in full (and audited).</param>
public sealed record EnrolmentResponse(string MeterId, string Name, string Address, string Grid, string FamilyPhone, DateOnly EnrolledOn,
    DateOnly? EndedOn, string? EndReason, bool Masked)
{
    public static EnrolmentResponse InFull(EnrolledElder e) =>
        new(e.MeterId, e.Name, e.Address, e.Grid, e.FamilyPhone, e.EnrolledOn, e.EndedOn, e.EndReason, Masked: false);

    public static EnrolmentResponse MaskedOf(EnrolledElder e) =>
        new(e.MeterId, PersonalDataMask.Name(e.Name), PersonalDataMask.Name(e.Address), e.Grid, PersonalDataMask.Mobile(e.FamilyPhone), e.EnrolledOn,
            e.EndedOn, e.EndReason is null ? null : "***", Masked: true);
}

public sealed record EnrolmentPage(IReadOnlyList<EnrolmentResponse> Items, int Page, int PageSize, int Total);

/// <summary>甬易养: civil affairs (and admins) keep the register of enrolled elders that water-meter alerts are completed from.</summary>
public static class ElderRegisterEndpoints
{
    public static IEndpointRouteBuilder MapElderRegisterEndpoints(this IEndpointRouteBuilder routes)
    {
        var register = routes.MapGroup("/api/elder-register").WithTags("Elder register").RequireAuthorization(Policies.ManageElderRegister);
        register.MapGet("/", ListAsync).WithName("ListEnrolledElders")
            .WithSummary("Enrolled elders by meter, masked; filter by grid, active=true for current enrolments only");
        register.MapGet("/{meterId}", ReadAsync).WithName("ReadEnrolment").WithSummary("One enrolment in full; the read is audited");
        register.MapPost("/", EnrolAsync).WithName("EnrolElder").WithSummary("Enrol an elder by meter id: name, address, grid, family phone");
        register.MapPut("/{meterId}", UpdateAsync).WithName("UpdateEnrolment").WithSummary("Correct an enrolment's name, address, grid or family phone");
        register.MapPost("/{meterId}/end", EndAsync).WithName("EndEnrolment").WithSummary("End an enrolment with a reason; the meter's alerts are refused");
        return routes;
    }

    private static async Task<Results<Ok<EnrolmentPage>, ValidationProblem>> ListAsync(OneThingDbContext db, string? grid, bool? active, int? page,
        int? pageSize, CancellationToken cancellationToken)
    {
        if (Paging.Check(page, pageSize, maxPageSize: 200) is { Count: > 0 } pageErrors)
        {
            return TypedResults.ValidationProblem(pageErrors);
        }

        var query = db.EnrolledElders.AsNoTracking();
        if (!string.IsNullOrEmpty(grid))
        {
            query = query.Where(e => e.Grid == grid);
        }

        if (active == true)
        {
            query = query.Where(e => e.EndedOn == null);
        }

        var (number, size) = (page ?? 1, pageSize ?? 50);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(e => e.MeterId).Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new EnrolmentPage(items.Select(EnrolmentResponse.MaskedOf).ToList(), number, size, total));
    }

    private static async Task<Results<Ok<EnrolmentResponse>, ProblemHttpResult>> ReadAsync(string meterId, OneThingDbContext db, AuditTrail audit,
        HttpContext http, CancellationToken cancellationToken)
    {
        var elder = await db.EnrolledElders.AsNoTracking().SingleOrDefaultAsync(e => e.MeterId == meterId, cancellationToken);
        if (elder is null)
        {
            return Problems.NotFound(NotEnrolled(meterId));
        }

        await audit.RecordAsync(http.AuditActor(), AuditActions.PersonalDataRead, AuditTargets.EnrolledElder, meterId, cancellationToken: cancellationToken);
        return TypedResults.Ok(EnrolmentResponse.InFull(elder));
    }

    private static async Task<Results<Created<EnrolmentResponse>, ProblemHttpResult>> EnrolAsync(EnrolElderRequest? request, EnrolElder enrol,
        HttpContext http, CancellationToken cancellationToken)
    {
        var result = await enrol.HandleAsync(new EnrolElderCommand(request?.MeterId,
            new EnrolmentDetails(request?.Name, request?.Address, request?.Grid, request?.FamilyPhone), request?.EnrolledOn, http.AuditActor()), cancellationToken);
        return result.Value is { } elder
            ? TypedResults.Created($"/api/elder-register/{elder.MeterId}", EnrolmentResponse.InFull(elder))
            : CommandProblems.For(result.Refusal!, "The meter is not enrolled.");
    }

    private static async Task<Results<Ok<EnrolmentResponse>, ProblemHttpResult>> UpdateAsync(string meterId, UpdateEnrolmentRequest? request,
        UpdateEnrolment update, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await update.HandleAsync(meterId, new EnrolmentDetails(request?.Name, request?.Address, request?.Grid, request?.FamilyPhone),
            http.AuditActor(), cancellationToken);
        return result.Value is { } elder ? TypedResults.Ok(EnrolmentResponse.InFull(elder)) : CommandProblems.For(result.Refusal!, NotEnrolled(meterId));
    }

    private static async Task<Results<Ok<EnrolmentResponse>, ProblemHttpResult>> EndAsync(string meterId, EndEnrolmentRequest? request,
        EndEnrolment end, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await end.HandleAsync(meterId, request?.Reason, http.AuditActor(), cancellationToken);
        return result.Value is { } elder ? TypedResults.Ok(EnrolmentResponse.MaskedOf(elder)) : CommandProblems.For(result.Refusal!, NotEnrolled(meterId));
    }

    private static string NotEnrolled(string meterId) => $"Meter '{meterId}' is not in the register of enrolled elders. 水表“{meterId}”未登记。";
}
