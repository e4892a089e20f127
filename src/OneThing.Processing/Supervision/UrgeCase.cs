using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Contracts;
using OneThing.Contracts.Codes;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Supervision;

/// <summary>催办: a supervisor urges every department still holding an open task of the case; each is told over its queue.</summary>
public sealed class UrgeCase(OneThingDbContext db, CaseWriter writer, AuditTrail audit, OutboxSignal outbox, TimeProvider clock, ILogger<UrgeCase> logger)
{
    public async Task<(bool Found, int Urged)> HandleAsync(Guid caseId, string message, AuditActor urgedBy, CancellationToken cancellationToken)
    {
        if (!await db.Cases.AnyAsync(c => c.Id == caseId, cancellationToken))
        {
            return (false, 0);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.LockCaseAsync(caseId, cancellationToken);
        var open = await db.DepartmentTasks
            .Where(t => t.CaseId == caseId && TaskStates.Unfinished.Contains(t.State))
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var task in open)
        {
            // The supervisor's words and name stay in the case history; the bus carries only the fact.
            writer.Enqueue(new UrgeDepartmentTask(task.Id, caseId, record.CaseNumber, task.StepId, task.Department,
                    UrgeTexts.Message, urgedBy.Role ?? "supervisor", now, task.DueAt),
                caseId, DepartmentQueues.Inbox(task.Department));
            writer.AddEvent(caseId, CaseEventTypes.TaskUrged, task.StepId, task.Id, urgedBy.Name, message);
        }

        audit.Add(urgedBy, AuditActions.CaseUrged, AuditTargets.Case, caseId.ToString(), $"{record.CaseNumber}: {open.Count} open tasks");

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Notify();
        logger.LogInformation("Case {CaseId} urged: {TaskCount} open tasks", caseId, open.Count);
        return (true, open.Count);
    }
}
