using OneThing.Contracts.Codes;

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

/// <summary>Tells a department that a task it holds is no longer needed (case rejected or withdrawn, deadline missed).</summary>
/// <param name="Reason">
/// Kept for v1 receivers: the <paramref name="Cause"/> in a few fixed English words (<see cref="CancelCauses.Describe"/>),
/// never a person's own words.
/// </param>
/// <param name="Cause">One of <see cref="CancelCauses"/>; null only from an engine older than the code.</param>
public sealed record CancelDepartmentTask(
    Guid TaskId,
    Guid CaseId,
    string CaseNumber,
    string StepId,
    string Department,
    string Reason,
    string? Cause);

public sealed record DepartmentTaskAcknowledged(
    Guid TaskId,
    Guid CaseId,
    string Department,
    DateTimeOffset AcknowledgedAt);

/// <param name="Comment">
/// Deprecated: free text has no place on the bus. Still accepted from an older sender, kept only as the department's
/// note on the case and never logged; OneThing's own senders leave it null.
/// </param>
public sealed record DepartmentTaskCompleted(
    Guid TaskId,
    Guid CaseId,
    string StepId,
    string Department,
    string? Comment,
    DateTimeOffset CompletedAt);

/// <param name="Reason">Deprecated, as <see cref="DepartmentTaskCompleted.Comment"/>: send <paramref name="ReasonCode"/>.</param>
/// <param name="ReasonCode">One of <see cref="RejectionReasonCodes"/>; missing or not a code is read as <see cref="RejectionReasonCodes.Other"/>.</param>
public sealed record DepartmentTaskRejected(
    Guid TaskId,
    Guid CaseId,
    string StepId,
    string Department,
    string? Reason,
    DateTimeOffset RejectedAt,
    string? ReasonCode);

/// <summary>催办: a supervisor urges a department to finish a task. The supervisor's own words stay in OneThing's case history.</summary>
/// <param name="Message">Kept for v1 receivers: always <see cref="UrgeTexts.Message"/>.</param>
/// <param name="UrgedBy">Kept for v1 receivers: the urging role (e.g. supervisor), never a person's account.</param>
/// <param name="DueAt">When the task is due, if it has a deadline.</param>
public sealed record UrgeDepartmentTask(
    Guid TaskId,
    Guid CaseId,
    string CaseNumber,
    string StepId,
    string Department,
    string Message,
    string UrgedBy,
    DateTimeOffset? UrgedAt,
    DateTimeOffset? DueAt);
