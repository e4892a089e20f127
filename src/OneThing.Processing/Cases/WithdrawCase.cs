using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>撤回: the applicant withdraws; open tasks are cancelled and their departments told.</summary>
public sealed class WithdrawCase(OneThingDbContext db, CaseWriter writer, OutboxSignal outbox, ILogger<WithdrawCase> logger)
{
    public async Task<CaseCommandResult> HandleAsync(Guid caseId, string reason, string actor, CancellationToken cancellationToken)
    {
        if (!await db.Cases.AnyAsync(c => c.Id == caseId, cancellationToken))
        {
            return new CaseCommandResult.NotFound();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.LockCaseAsync(caseId, cancellationToken);
        writer.AddEvent(record.Id, CaseEventTypes.CaseWithdrawn, actor: actor, detail: reason);
        var result = await writer.ApplyEventAsync(record, new CaseWithdrawn(reason, actor), cancellationToken);
        if (result is Refused refused)
        {
            return new CaseCommandResult.Conflict(refused.Message);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        logger.LogInformation("Case {CaseId} withdrawn", caseId);
        return new CaseCommandResult.Done();
    }
}
