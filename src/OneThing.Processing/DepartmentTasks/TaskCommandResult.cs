namespace OneThing.Processing.DepartmentTasks;

public enum TaskCommandStatus
{
    Done,
    NotFound,
    Conflict,
    Invalid,
}

public sealed record TaskCommandResult(TaskCommandStatus Status, string? Message = null)
{
    public static readonly TaskCommandResult Done = new(TaskCommandStatus.Done);
    public static readonly TaskCommandResult NotFound = new(TaskCommandStatus.NotFound, "No such task.");

    public static TaskCommandResult Conflict(string message) => new(TaskCommandStatus.Conflict, message);

    /// <summary>The request itself is wrong (e.g. an outcome the step does not offer), not the moment it came.</summary>
    public static TaskCommandResult Invalid(string message) => new(TaskCommandStatus.Invalid, message);
}
