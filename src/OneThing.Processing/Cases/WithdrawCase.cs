using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Audit;
using OneThing.Processing.Commands;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>撤回: the applicant withdraws; open tasks are cancelled and their departments told.</summary>
public sealed class WithdrawCase(
    CaseCommands commands, OneThingDbContext db, EngineEffects effects, CaseHistory history, AuditTrail audit, ILogger<WithdrawCase> logger)
{
    public Task<CommandResult<Unit>> HandleAsync(Guid caseId, string? reason, AuditActor actor, CancellationToken cancellationToken)
    {
        var text = reason?.Trim();
        return FreeText.Check("reason", text, required: true, $"A withdrawal needs a reason (1 to {FreeText.MaxLength} characters), e.g. 申请人自行撤回.") is { } invalid
            ? Task.FromResult<CommandResult<Unit>>(invalid)
            : commands.OnCaseAsync(caseId, (unit, token) => WithdrawAsync(unit, text!, actor, token), cancellationToken);
    }

    private async Task<CommandResult<Unit>> WithdrawAsync(CaseUnit unit, string reason, AuditActor actor, CancellationToken cancellationToken)
    {
        var record = unit.Record;
        var standing = await ClerkCaseAccess.StandingAsync(db, record.FiledBy, actor, cancellationToken);
        if (standing == ClerkStanding.Stranger)
        {
            unit.AuditEvenIfRefused(actor, AuditActions.CaseChangeRefused, AuditTargets.Case, record.Id.ToString(),
                $"{record.CaseNumber}: withdrawal refused, neither its filer nor a clerk of the filer's service hall");
            return new Refusal.Forbidden("Only the clerk who filed this case, or a clerk of the same service hall, may withdraw it.");
        }

        history.Add(record.Id, CaseEventTypes.CaseWithdrawn, actor: actor.Name, detail: reason);
        var result = await effects.ApplyEventAsync(unit, new CaseWithdrawn(reason, actor.Name), cancellationToken);
        if (result is Refused refused)
        {
            return new Refusal.Conflict(refused.Message);
        }

        audit.Add(actor, AuditActions.CaseWithdrawn, AuditTargets.Case, record.Id.ToString(), record.CaseNumber + ClerkCaseAccess.Describe(standing, record.FiledBy));
        logger.LogInformation("Case {CaseId} withdrawn", record.Id);
        return CommandResult<Unit>.Done(Unit.Value);
    }
}
