using OneThing.Processing.Persistence;

namespace OneThing.Processing.Cases;

/// <summary>Lines of a case's history (types in <see cref="CaseEventTypes"/>), added to the caller's unit of work.</summary>
public sealed class CaseHistory(OneThingDbContext db, TimeProvider clock)
{
    public void Add(Guid caseId, string type, string? stepId = null, Guid? taskId = null, string? actor = null, string? detail = null) =>
        db.CaseEvents.Add(new CaseEventRecord
        {
            CaseId = caseId,
            Type = type,
            StepId = stepId,
            TaskId = taskId,
            Actor = actor,
            Detail = detail,
            OccurredAt = clock.GetUtcNow(),
        });
}
