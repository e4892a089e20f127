namespace OneThing.Processing.DepartmentTasks;

public enum TaskCommandStatus
{
    Done,
    NotFound,
    Conflict,
    Invalid,
}

/// <param name="Field">The request field an invalid result is about.</param>
public sealed record TaskCommandResult(TaskCommandStatus Status, string? Message = null, string Field = "decision")
{
    public static readonly TaskCommandResult Done = new(TaskCommandStatus.Done);
    public static readonly TaskCommandResult NotFound = new(TaskCommandStatus.NotFound, "No such task.");

    public static TaskCommandResult Conflict(string message) => new(TaskCommandStatus.Conflict, message);

    /// <summary>The request itself is wrong (e.g. an outcome the step does not offer), not the moment it came.</summary>
    public static TaskCommandResult Invalid(string message, string field = "decision") => new(TaskCommandStatus.Invalid, message, field);
}
