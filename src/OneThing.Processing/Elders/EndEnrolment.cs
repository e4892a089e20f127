using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Processing.Audit;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Elders;

/// <summary>
/// Civil affairs ends an enrolment (the elder moved away, went into care, died): the meter's alerts are refused from
/// then on. The row stays, so the refusal can say the enrolment ended rather than that the meter is unknown.
/// </summary>
public sealed class EndEnrolment(OneThingDbContext db, AuditTrail audit, TimeProvider clock, ILogger<EndEnrolment> logger)
{
    public async Task<CommandResult<EnrolledElder>> HandleAsync(string meterId, string? reason, AuditActor actor, CancellationToken cancellationToken)
    {
        var trimmed = reason?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > EnrolmentRules.MaxReasonLength)
        {
            return new Refusal.Invalid("reason", $"Say why the enrolment ends (moved, in care, deceased), at most {EnrolmentRules.MaxReasonLength} characters. 请填写终止原因。",
                "The end of the enrolment needs a reason");
        }

        var elder = await db.EnrolledElders.SingleOrDefaultAsync(e => e.MeterId == meterId, cancellationToken);
        if (elder is null)
        {
            return new Refusal.NotFound();
        }

        if (elder.EndedOn is not null)
        {
            return new Refusal.Conflict($"The enrolment of meter {meterId} already ended on {elder.EndedOn:yyyy-MM-dd}. 该水表登记已终止。");
        }

        elder.EndedOn = EnrolmentRules.Today(clock);
        elder.EndReason = trimmed;
        elder.UpdatedAt = clock.GetUtcNow();
        elder.UpdatedBy = actor.Name;
        // The reason may hold personal circumstances; the audit row says only that it ended.
        audit.Add(actor, AuditActions.EnrolmentEnded, AuditTargets.EnrolledElder, meterId);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Enrolment of meter {MeterId} ended", meterId);
        return CommandResult<EnrolledElder>.Done(elder);
    }
}
