using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Processing.Audit;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Elders;

/// <param name="EnrolledOn">Defaults to today in Beijing; not after it.</param>
public sealed record EnrolElderCommand(string? MeterId, EnrolmentDetails? Details, DateOnly? EnrolledOn, AuditActor Actor);

/// <summary>
/// Civil affairs enrols an elder living alone whose home has a smart water meter, so the meter's alerts open cases for
/// the elder's grid. A meter whose enrolment ended may be enrolled again (a new resident); one enrolled now may not.
/// </summary>
public sealed class EnrolElder(OneThingDbContext db, WorkflowRegistry workflows, AuditTrail audit, TimeProvider clock, ILogger<EnrolElder> logger)
{
    public async Task<CommandResult<EnrolledElder>> HandleAsync(EnrolElderCommand command, CancellationToken cancellationToken)
    {
        var errors = EnrolmentRules.CheckMeterId(command.MeterId);
        var (details, detailErrors) = EnrolmentRules.Check(command.Details, workflows.Departments.Territory);
        errors.AddRange(detailErrors);
        var today = EnrolmentRules.Today(clock);
        if (command.EnrolledOn > today)
        {
            errors.Add(new Engine.FieldError("enrolledOn", "登记日期不能晚于今天", "The enrolment date cannot be after today"));
        }

        if (errors.Count > 0)
        {
            return new Refusal.InvalidForm(errors);
        }

        var meterId = command.MeterId!.Trim();
        var now = clock.GetUtcNow();
        var elder = await db.EnrolledElders.SingleOrDefaultAsync(e => e.MeterId == meterId, cancellationToken);
        if (elder is { EndedOn: null })
        {
            return new Refusal.Conflict($"Meter {meterId} is already enrolled; update its enrolment instead. 该水表已登记，请修改登记信息。");
        }

        if (elder is null)
        {
            elder = new EnrolledElder
            {
                MeterId = meterId, Name = "", Address = "", Grid = "", FamilyPhone = "", EnrolledOn = today, UpdatedAt = now, UpdatedBy = "",
            };
            db.EnrolledElders.Add(elder);
        }

        EnrolmentRules.Apply(elder, details!, command.Actor.Name, now);
        elder.EnrolledOn = command.EnrolledOn ?? today;
        elder.EndedOn = null;
        elder.EndReason = null;
        audit.Add(command.Actor, AuditActions.ElderEnrolled, AuditTargets.EnrolledElder, meterId, $"grid {elder.Grid}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Enrolled by someone else a moment ago.
            db.ChangeTracker.Clear();
            return new Refusal.Conflict($"Meter {meterId} is already enrolled; update its enrolment instead. 该水表已登记，请修改登记信息。");
        }

        logger.LogInformation("Meter {MeterId} enrolled for grid {Grid}", meterId, elder.Grid);
        return CommandResult<EnrolledElder>.Done(elder);
    }
}
