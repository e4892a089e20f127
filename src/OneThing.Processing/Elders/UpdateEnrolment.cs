using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Processing.Audit;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Elders;

/// <summary>
/// Civil affairs corrects an enrolment: the elder moved within the district, the family has a new number. Cases already
/// opened keep the form they were opened with; the next alert uses the new details.
/// </summary>
public sealed class UpdateEnrolment(OneThingDbContext db, WorkflowRegistry workflows, AuditTrail audit, TimeProvider clock, ILogger<UpdateEnrolment> logger)
{
    public async Task<CommandResult<EnrolledElder>> HandleAsync(string meterId, EnrolmentDetails? details, AuditActor actor, CancellationToken cancellationToken)
    {
        var elder = await db.EnrolledElders.SingleOrDefaultAsync(e => e.MeterId == meterId, cancellationToken);
        if (elder is null)
        {
            return new Refusal.NotFound();
        }

        if (elder.EndedOn is not null)
        {
            return new Refusal.Conflict($"The enrolment of meter {meterId} ended on {elder.EndedOn:yyyy-MM-dd}; enrol it again instead. 该水表登记已终止，请重新登记。");
        }

        var (checkedDetails, errors) = EnrolmentRules.Check(details, workflows.Departments.Territory);
        if (errors.Count > 0)
        {
            return new Refusal.InvalidForm(errors);
        }

        EnrolmentRules.Apply(elder, checkedDetails!, actor.Name, clock.GetUtcNow());
        audit.Add(actor, AuditActions.EnrolmentUpdated, AuditTargets.EnrolledElder, meterId, $"grid {elder.Grid}");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Enrolment of meter {MeterId} updated", meterId);
        return CommandResult<EnrolledElder>.Done(elder);
    }
}
