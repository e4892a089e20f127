using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>补正: the reviewer needs more material; the task waits for the clerk with its clock stopped.</summary>
public sealed class RequestSupplement(OneThingDbContext db, CaseWriter writer, ILogger<RequestSupplement> logger)
{
    public async Task<TaskCommandResult> HandleAsync(Guid taskId, string message, CancellationToken cancellationToken)
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
        var record = await db.LockCaseAsync(caseId.Value, cancellationToken);
        var task = await db.DepartmentTasks.SingleAsync(t => t.Id == taskId, cancellationToken);
        if (task.Kind == "automated")
        {
            return TaskCommandResult.Conflict("This task is handled by the department's own system, not by a reviewer.");
        }

        switch (task.State)
        {
            case TaskStates.Dispatched:
                return TaskCommandResult.Conflict("This task has not reached the department's inbox yet.");
            case TaskStates.AwaitingSupplement:
                return TaskCommandResult.Conflict("A supplement was already asked for this task and has not been submitted yet.");
            case var state when TaskStates.IsEnded(state):
                return TaskCommandResult.Conflict($"This task has ended ({state}).");
        }

        var actor = task.Assignee ?? "reviewer";
        var result = await writer.ApplyEventAsync(record, new SupplementRequested(task.StepId, task.Id, message, actor), cancellationToken);
        if (result is Refused refused)
        {
            return TaskCommandResult.Conflict(refused.Message);
        }

        writer.AddEvent(record.Id, CaseEventTypes.SupplementRequested, task.StepId, task.Id, actor, message);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Supplement asked on task {TaskId} ({StepId}) of case {CaseId}; its clock is stopped", task.Id, task.StepId, record.Id);
        return TaskCommandResult.Done;
    }
}
