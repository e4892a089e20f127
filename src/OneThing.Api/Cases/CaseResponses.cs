using System.Text.Json;
using OneThing.Engine;

namespace OneThing.Api.Cases;

public sealed record FileCaseRequest(string? WorkflowId, JsonElement? Form);

public sealed record CaseResponse(
    Guid Id,
    string CaseNumber,
    string WorkflowId,
    int WorkflowVersion,
    LocalizedText WorkflowName,
    string Status,
    DateTimeOffset FiledAt,
    string? FiledBy,
    DateTimeOffset? EndedAt,
    JsonElement Form,
    bool FormMasked,
    bool FormHasPersonalData,
    DeadlineResponse Deadline,
    IReadOnlyList<CaseStepResponse> Steps,
    IReadOnlyList<CaseHistoryEntry> History);

public sealed record CaseStepResponse(
    string StepId,
    LocalizedText Name,
    string Department,
    LocalizedText? DepartmentName,
    string Kind,
    string State,
    Guid? TaskId,
    string? TaskState,
    string? Assignee,
    string? Comment,
    int DispatchAttempts,
    DateTimeOffset? ActivatedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? EndedAt,
    DeadlineResponse Deadline);

public sealed record CaseHistoryEntry(
    DateTimeOffset At,
    string Type,
    string? StepId,
    Guid? TaskId,
    string? Actor,
    string? Detail);

public sealed record CaseSummary(
    Guid Id,
    string CaseNumber,
    string WorkflowId,
    int WorkflowVersion,
    string Status,
    DateTimeOffset FiledAt,
    DateTimeOffset? EndedAt);

public sealed record CasePage(IReadOnlyList<CaseSummary> Items, int Page, int PageSize, int Total);

/// <summary>Where a deadline stands: due time, share of the SLA used, and its light (green / yellow / red).</summary>
public sealed record DeadlineResponse(string? Sla, DateTimeOffset? DueAt, double? ElapsedShare, string? Light, double PausedSeconds, bool Paused)
{
    public static DeadlineResponse From(string? sla, Processing.Deadlines.DeadlineView view) => new(
        sla,
        view.DueAt,
        view.ElapsedShare,
        view.Light is { } light ? System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(light.ToString()) : null,
        view.PausedFor.TotalSeconds,
        view.Paused);
}
