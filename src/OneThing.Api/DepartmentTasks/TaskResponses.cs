using System.Text.Json;
using OneThing.Engine;

namespace OneThing.Api.DepartmentTasks;

public sealed record DepartmentTaskResponse(
    Guid Id,
    Guid CaseId,
    string CaseNumber,
    string WorkflowId,
    string StepId,
    LocalizedText StepName,
    string Department,
    string Kind,
    string State,
    string? Assignee,
    int DispatchAttempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? EndedAt,
    Cases.DeadlineResponse Deadline,
    JsonElement Fields);

public sealed record ApproveTaskRequest(string? Comment);

public sealed record RejectTaskRequest(string? Reason);

public sealed record TaskDecisionResponse(Guid TaskId, string State, Guid CaseId, string CaseStatus);
