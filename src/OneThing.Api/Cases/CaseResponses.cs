using System.Text.Json;
using OneThing.Engine;

namespace OneThing.Api.Cases;

public sealed record FileCaseRequest(string? WorkflowId, JsonElement? Form);

/// <param name="Form">The fields to change; new values win. Attachment fields are changed the same way.</param>
/// <param name="Attachments">Further materials, each { fileName, contentType, size }.</param>
public sealed record SubmitSupplementRequest(JsonElement? Form, JsonElement? Attachments, string? Note);

public sealed record WithdrawCaseRequest(string? Reason);

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
    IReadOnlyList<CaseHistoryEntry> History)
{
    /// <summary>For an incident case: the event that opened it, the place, and how many reports it has (1 + those attached).</summary>
    public IncidentResponse? Incident { get; init; }

    /// <summary>True while a reviewer waits for a supplement (补正) from the clerk.</summary>
    public bool AwaitingSupplement { get; init; }

    public IReadOnlyList<NotificationResponse> Notifications { get; init; } = [];
}

/// <param name="Place">What reports are matched by: the spot's code (code:…) or its text with width, spaces and punctuation folded.</param>
public sealed record IncidentResponse(string Event, string Place, int ReportCount, DateTimeOffset? LastReportedAt)
{
    /// <summary>Cases the place had in the 90 days up to this one's opening, this one included: what place.cases90d tests.</summary>
    public int PlaceCases90d { get; init; }
}

/// <param name="Address">Masked: who may read the case need not see the whole number.</param>
/// <param name="Delivery">pending (being sent or retried), delivered, or failed (given up after the last retry).</param>
public sealed record NotificationResponse(string StepId, string Recipient, string? Address, LocalizedText Message, DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt, string Delivery, int Attempts, DateTimeOffset? FailedAt)
{
    /// <summary>The channels it is routed to, comma-separated (log, smtp, webhook); null before the first attempt.</summary>
    public string? Channel { get; init; }

    /// <summary>Why the last attempt failed, with addresses and the message masked; null when none failed.</summary>
    public string? LastError { get; init; }
}

public sealed record CaseStepResponse(
    string StepId,
    LocalizedText Name,
    string? Department,
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
    DeadlineResponse Deadline)
{
    /// <summary>How the step ended: approved, a declared outcome (e.g. resolved), rejected, skipped, breached, elapsed or sent.</summary>
    public string? Outcome { get; init; }

    public bool AwaitingSupplement { get; init; }

    public DateTimeOffset? BreachedAt { get; init; }

    /// <summary>The round of the step's loop; 1 outside loops.</summary>
    public int Round { get; init; } = 1;

    /// <summary>For a triage step: the departments its reviewer chose, each with its own task.</summary>
    public IReadOnlyList<ChosenTaskResponse> Chosen { get; init; } = [];
}

public sealed record ChosenTaskResponse(string Department, LocalizedText? DepartmentName, Guid TaskId, string TaskState, string? Outcome, DeadlineResponse Deadline);

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
        view.Light is { } light ? OneThing.Processing.Persistence.StoredNames.Of(light) : null,
        view.PausedFor.TotalSeconds,
        view.Paused);
}
