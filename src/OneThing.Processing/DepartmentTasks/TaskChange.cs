using OneThing.Processing.Persistence;

namespace OneThing.Processing.DepartmentTasks;

/// <summary>A task and its case as a command left them, answered from the rows just written rather than read back.</summary>
public sealed record TaskChange(Guid TaskId, TaskState TaskState, Guid CaseId, string CaseStatus)
{
    public static TaskChange Of(DepartmentTask task, CaseRecord record) => new(task.Id, task.State, record.Id, record.Status);
}
