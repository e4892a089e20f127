using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>A supervisor hands an open task to another reviewer of the same department.</summary>
public sealed class ReassignTask(OneThingDbContext db, CaseWriter writer, AuditTrail audit, TimeProvider clock)
{
    public async Task<TaskCommandResult> HandleAsync(Guid taskId, string assignee, AuditActor reassignedBy, CancellationToken cancellationToken)
    {
        var caseId = await db.DepartmentTasks.AsNoTracking()
            .Where(t => t.Id == taskId)
            .Select(t => (Guid?)t.CaseId)
            .SingleOrDefaultAsync(cancellationToken);
        if (caseId is null)
        {
            return TaskCommandResult.NotFound;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.LockCaseAsync(caseId.Value, cancellationToken);
        var task = await db.DepartmentTasks.SingleAsync(t => t.Id == taskId, cancellationToken);
        if (TaskStates.IsEnded(task.State))
        {
            return TaskCommandResult.Conflict($"This task has ended ({task.State}) and cannot be reassigned.");
        }

        if (task.Kind == "automated")
        {
            return TaskCommandResult.Conflict("This task is handled by the department's own system, not by a reviewer.");
        }

        var previous = task.Assignee;
        task.Assignee = assignee;
        if (task.State == TaskStates.Open)
        {
            task.State = TaskStates.Claimed;
            task.ClaimedAt = clock.GetUtcNow();
        }

        var change = $"{previous ?? "(unassigned)"} → {assignee}";
        writer.AddEvent(caseId.Value, CaseEventTypes.TaskReassigned, task.StepId, task.Id, reassignedBy.Name, change);
        audit.Add(reassignedBy, AuditActions.TaskReassigned, AuditTargets.Task, task.Id.ToString(), change);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TaskCommandResult.Done;
    }
}
