using OneThing.Engine;

namespace OneThing.Api.Cases;

/// <summary>A case in a clerk's list: where each department concerned stands, without any form data.</summary>
public sealed record CaseProgress(
    Guid Id,
    string CaseNumber,
    string WorkflowId,
    LocalizedText WorkflowName,
    string Status,
    DateTimeOffset FiledAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<StepProgress> Steps);

/// <param name="Department">Null for wait and notify steps, which no department handles.</param>
/// <param name="State">The step's state: waiting, active, approved, rejected, skipped or cancelled.</param>
public sealed record StepProgress(string StepId, LocalizedText StepName, string? Department, LocalizedText? DepartmentName, string State,
    bool AwaitingSupplement);
