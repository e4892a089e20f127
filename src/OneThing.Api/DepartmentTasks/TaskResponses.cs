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
    JsonElement Fields)
{
    /// <summary>The outcomes the reviewer chooses among when approving; empty when a plain approval is all there is.</summary>
    public IReadOnlyList<string> Outcomes { get; init; } = [];

    public string? Outcome { get; init; }

    /// <summary>Form fields the reviewer fills in when approving.</summary>
    public IReadOnlyList<string> Provides { get; init; } = [];
}

/// <param name="Outcome">Required when the step declares outcomes (e.g. resolved / unresolved): which one.</param>
/// <param name="Form">Required when the step provides form fields (e.g. the credit code a business licence issues).</param>
public sealed record ApproveTaskRequest(string? Comment, string? Outcome = null, JsonElement? Form = null);

public sealed record RequestSupplementRequest(string? Message);

public sealed record RejectTaskRequest(string? Reason);

public sealed record TaskDecisionResponse(Guid TaskId, string State, Guid CaseId, string CaseStatus);

/// <summary>One page of a department's inbox, most urgent first, and how many tasks the filter matches in all.</summary>
public sealed record DepartmentTaskPage(IReadOnlyList<DepartmentTaskResponse> Items, int Page, int PageSize, int Total);
