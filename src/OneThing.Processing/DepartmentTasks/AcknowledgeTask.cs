using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>A department has the task: it moves from "dispatched" into the inbox. Repeats change nothing.</summary>
public sealed class AcknowledgeTask(OneThingDbContext db, CaseWriter writer, TimeProvider clock)
{
    public async Task<bool> HandleAsync(Guid taskId, string receivedBy, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var acknowledged = await db.DepartmentTasks
            .Where(t => t.Id == taskId && t.State == TaskStates.Dispatched)
            .ExecuteUpdateAsync(set => set
                .SetProperty(t => t.State, TaskStates.Open)
                .SetProperty(t => t.AcknowledgedAt, now), cancellationToken);
        if (acknowledged == 0)
        {
            return false;
        }

        var task = await db.DepartmentTasks.AsNoTracking().SingleAsync(t => t.Id == taskId, cancellationToken);
        writer.AddEvent(task.CaseId, CaseEventTypes.TaskReceived, task.StepId, task.Id, receivedBy, task.Department);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
