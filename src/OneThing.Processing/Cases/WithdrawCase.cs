using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>撤回: the applicant withdraws; open tasks are cancelled and their departments told.</summary>
public sealed class WithdrawCase(OneThingDbContext db, CaseWriter writer, AuditTrail audit, OutboxSignal outbox, ILogger<WithdrawCase> logger)
{
    public async Task<CaseCommandResult> HandleAsync(Guid caseId, string reason, AuditActor actor, CancellationToken cancellationToken)
    {
        var filing = await db.Cases.AsNoTracking()
            .Where(c => c.Id == caseId)
            .Select(c => new { c.CaseNumber, c.FiledBy })
            .SingleOrDefaultAsync(cancellationToken);
        if (filing is null)
        {
            return new CaseCommandResult.NotFound();
        }

        var standing = await ClerkCaseAccess.StandingAsync(db, filing.FiledBy, actor, cancellationToken);
        if (standing == ClerkStanding.Stranger)
        {
            await audit.RecordAsync(actor, AuditActions.CaseChangeRefused, AuditTargets.Case, caseId.ToString(),
                $"{filing.CaseNumber}: withdrawal refused, neither its filer nor a clerk of the filer's service hall", cancellationToken);
            return new CaseCommandResult.Forbidden("Only the clerk who filed this case, or a clerk of the same service hall, may withdraw it.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.LockCaseAsync(caseId, cancellationToken);
        writer.AddEvent(record.Id, CaseEventTypes.CaseWithdrawn, actor: actor.Name, detail: reason);
        var result = await writer.ApplyEventAsync(record, new CaseWithdrawn(reason, actor.Name), cancellationToken);
        if (result is Refused refused)
        {
            return new CaseCommandResult.Conflict(refused.Message);
        }

        audit.Add(actor, AuditActions.CaseWithdrawn, AuditTargets.Case, caseId.ToString(), record.CaseNumber + ClerkCaseAccess.Describe(standing, record.FiledBy));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        logger.LogInformation("Case {CaseId} withdrawn", caseId);
        return new CaseCommandResult.Done();
    }
}
