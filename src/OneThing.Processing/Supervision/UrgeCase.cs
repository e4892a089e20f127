using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Contracts;
using OneThing.Contracts.Codes;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Commands;
using OneThing.Processing.Messaging;
using OneThing.Processing.DepartmentTasks;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Supervision;

/// <summary>催办: a supervisor urges every department still holding an open task of the case; each is told over its queue.</summary>
public sealed class UrgeCase(
    CaseCommands commands, OneThingDbContext db, CaseHistory history, Outbox outbox, AuditTrail audit, TimeProvider clock, ILogger<UrgeCase> logger)
{
    /// <returns>How many open tasks were urged.</returns>
    public Task<CommandResult<int>> HandleAsync(Guid caseId, string message, AuditActor urgedBy, CancellationToken cancellationToken) =>
        commands.OnCaseAsync(caseId, (unit, token) => UrgeAsync(unit, message, urgedBy, token), cancellationToken);

    private async Task<CommandResult<int>> UrgeAsync(CaseUnit unit, string message, AuditActor urgedBy, CancellationToken cancellationToken)
    {
        var caseId = unit.Id;
        var open = await db.DepartmentTasks
            .Where(t => t.CaseId == caseId && TaskLifecycle.Unfinished.Contains(t.State))
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var task in open)
        {
            // The supervisor's words and name stay in the case history; the bus carries only the fact.
            outbox.Enqueue(new UrgeDepartmentTask(task.Id, caseId, unit.Record.CaseNumber, task.StepId, task.Department,
                    UrgeTexts.Message, urgedBy.Role ?? "supervisor", now, task.DueAt),
                caseId, DepartmentQueues.Inbox(task.Department));
            history.Add(caseId, CaseEventTypes.TaskUrged, task.StepId, task.Id, urgedBy.Name, message);
        }

        audit.Add(urgedBy, AuditActions.CaseUrged, AuditTargets.Case, caseId.ToString(), $"{unit.Record.CaseNumber}: {open.Count} open tasks");
        logger.LogInformation("Case {CaseId} urged: {TaskCount} open tasks", caseId, open.Count);
        return CommandResult<int>.Done(open.Count);
    }
}
