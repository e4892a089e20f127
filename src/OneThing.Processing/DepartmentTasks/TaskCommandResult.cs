namespace OneThing.Processing.DepartmentTasks;

public enum TaskCommandStatus
{
    Done,
    NotFound,
    Conflict,
}

public sealed record TaskCommandResult(TaskCommandStatus Status, string? Message = null)
{
    public static readonly TaskCommandResult Done = new(TaskCommandStatus.Done);
    public static readonly TaskCommandResult NotFound = new(TaskCommandStatus.NotFound, "No such task.");

    public static TaskCommandResult Conflict(string message) => new(TaskCommandStatus.Conflict, message);
}
