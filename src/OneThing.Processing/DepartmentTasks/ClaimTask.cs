using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Audit;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>A reviewer takes a task from the department's inbox so that colleagues do not work on it too.</summary>
/// <remarks>The assignee is the signed-in reviewer, never a name from the request.</remarks>
public sealed class ClaimTask(OneThingDbContext db, CaseWriter writer, AuditTrail audit, TimeProvider clock)
{
    public async Task<TaskCommandResult> HandleAsync(Guid taskId, AuditActor reviewer, CancellationToken cancellationToken)
    {
        var assignee = reviewer.Name;
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
        switch (task.State)
        {
            case TaskStates.Claimed when task.Assignee == assignee:
                return TaskCommandResult.Done;
            case TaskStates.Claimed:
                return TaskCommandResult.Conflict($"This task is already claimed by {task.Assignee}.");
            case TaskStates.Dispatched:
                return TaskCommandResult.Conflict("This task has not reached the department's inbox yet.");
            case TaskStates.AwaitingSupplement:
                return TaskCommandResult.Conflict($"This task is waiting for a supplement; it stays with {task.Assignee ?? "its department"}.");
            case not TaskStates.Open:
                return TaskCommandResult.Conflict($"This task has ended ({task.State}).");
        }

        if (task.Kind == "automated")
        {
            return TaskCommandResult.Conflict("This task is handled by the department's own system, not by a reviewer.");
        }

        task.State = TaskStates.Claimed;
        task.Assignee = assignee;
        task.ClaimedAt = clock.GetUtcNow();
        writer.AddEvent(caseId.Value, CaseEventTypes.TaskClaimed, task.StepId, task.Id, assignee);
        audit.Add(reviewer, AuditActions.TaskClaimed, AuditTargets.Task, task.Id.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TaskCommandResult.Done;
    }
}
