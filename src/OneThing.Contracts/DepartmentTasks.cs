namespace OneThing.Contracts;

/// <summary>
/// Asks a department to take on its part of a case. Sent to the department's own queue; re-sent until acknowledged.
/// </summary>
public sealed record RequestDepartmentTask(
    Guid TaskId,
    Guid CaseId,
    string CaseNumber,
    string WorkflowId,
    string StepId,
    string Department,
    string Kind,
    int Attempt);

/// <summary>Tells a department that a task it holds is no longer needed (case rejected or withdrawn).</summary>
public sealed record CancelDepartmentTask(
    Guid TaskId,
    Guid CaseId,
    string CaseNumber,
    string StepId,
    string Department,
    string Reason);

public sealed record DepartmentTaskAcknowledged(
    Guid TaskId,
    Guid CaseId,
    string Department,
    DateTimeOffset AcknowledgedAt);

public sealed record DepartmentTaskCompleted(
    Guid TaskId,
    Guid CaseId,
    string StepId,
    string Department,
    string? Comment,
    DateTimeOffset CompletedAt);

public sealed record DepartmentTaskRejected(
    Guid TaskId,
    Guid CaseId,
    string StepId,
    string Department,
    string Reason,
    DateTimeOffset RejectedAt);

/// <summary>催办: a supervisor urges a department to finish a task.</summary>
public sealed record UrgeDepartmentTask(
    Guid TaskId,
    Guid CaseId,
    string CaseNumber,
    string StepId,
    string Department,
    string Message,
    string UrgedBy);
