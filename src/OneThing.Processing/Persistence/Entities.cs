using OneThing.Engine;
using OneThing.Processing.DepartmentTasks;

namespace OneThing.Processing.Persistence;

public sealed class WorkflowVersion
{
    public required string WorkflowId { get; init; }
    public required int Version { get; init; }
    public required string ContentHash { get; init; }
    public required string SourceText { get; init; }
    public required string FileName { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
    public string? DepartmentsSource { get; init; }
}

public sealed class CaseRecord
{
    public required Guid Id { get; init; }
    public required string CaseNumber { get; init; }
    public required string WorkflowId { get; init; }
    /// <summary>Changes only when an admin moves the running case to a newer version (MigrateCases).</summary>
    public required int WorkflowVersion { get; set; }
    public required string Status { get; set; }
    public required string Form { get; set; }
    public required string State { get; set; }
    public string? IdempotencyKey { get; init; }
    public string? RequestHash { get; init; }
    public required DateTimeOffset FiledAt { get; init; }

    /// <summary>The clerk's user name; only that clerk (and supervisors) may read the form in full.</summary>
    public string? FiledBy { get; init; }
    public required DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? Sla { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? WarnAt { get; set; }
    public DateTimeOffset? BreachedAt { get; set; }

    /// <summary>Set while a task of the case waits for a supplement (补正): the case deadline stands still too.</summary>
    public DateTimeOffset? PausedAt { get; set; }
    public double PausedSeconds { get; set; }
    public string? IncidentEvent { get; set; }
    public string? IncidentPlace { get; set; }
    public int ReportCount { get; set; }
    public DateTimeOffset? LastReportedAt { get; set; }

    /// <summary>The street or town (街道/镇) of the case's place field, for the supervisor's filter; null when the workflow has none.</summary>
    public string? Street { get; set; }
}

/// <summary>好差评: the applicant's rating of a case once it has ended; one per case.</summary>
public sealed class CaseRating
{
    public required Guid CaseId { get; init; }
    public required int Score { get; init; }
    public string? Comment { get; init; }
    public required DateTimeOffset RatedAt { get; init; }

    /// <summary>The 好差评整改 case a bad rating opened; null for a good one.</summary>
    public Guid? RectificationCaseId { get; set; }
}

public sealed class CaseEventRecord
{
    public long Id { get; init; }
    public required Guid CaseId { get; init; }
    public required string Type { get; init; }
    public string? StepId { get; init; }
    public Guid? TaskId { get; init; }
    public string? Actor { get; init; }
    public string? Detail { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

public sealed class DepartmentTask
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }
    public required string StepId { get; init; }
    public required string Department { get; init; }
    public required StepKind Kind { get; init; }
    public required TaskState State { get; set; }
    public string? Assignee { get; set; }
    public string? Comment { get; set; }
    public required int DispatchAttempts { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset LastDispatchedAt { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? Sla { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? WarnAt { get; set; }
    public DateTimeOffset? PausedAt { get; set; }
    public double PausedSeconds { get; set; }
    public DateTimeOffset? WarnedAt { get; set; }
    public DateTimeOffset? BreachedAt { get; set; }
    public int EscalationLevel { get; set; }
    public string? Outcome { get; set; }

    /// <summary>The round of the step's loop; 1 for a step outside any loop.</summary>
    public int Round { get; init; } = 1;

    /// <summary>The task of a department chosen at a triage step, rather than the triage itself.</summary>
    public bool Chosen { get; init; }
}

public sealed class OutboxMessage
{
    public long Id { get; init; }
    public required Guid MessageId { get; init; }
    public required string MessageType { get; init; }
    public string? Destination { get; init; }
    public required string Payload { get; init; }
    public Guid? CaseId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? SetAsideAt { get; set; }
    public string? SetAsideReason { get; set; }

    /// <summary>The W3C traceparent of the work that wrote the row, so that its message continues that trace when relayed.</summary>
    public string? TraceParent { get; set; }
}

/// <summary>A durable timer: a deadline's warning, breach or escalation that fires once, on whichever host claims it.</summary>
public sealed class DeadlineTimer
{
    public long Id { get; init; }
    public required Guid CaseId { get; init; }
    public Guid? TaskId { get; init; }
    public string? StepId { get; init; }
    public required string Kind { get; init; }
    public int Level { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FiredAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public string? LastError { get; set; }
}

public static class TimerKinds
{
    public const string TaskWarning = "task-warning";
    public const string TaskBreach = "task-breach";
    public const string TaskEscalation = "task-escalation";
    public const string CaseWarning = "case-warning";
    public const string CaseBreach = "case-breach";
    public const string WaitElapsed = "wait-elapsed";
}

public sealed class IncidentReport
{
    public long Id { get; init; }
    public required Guid CaseId { get; init; }
    public required string Event { get; init; }
    public required string Place { get; init; }
    public string? Source { get; init; }
    public required string Form { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public string? IdempotencyKey { get; init; }
}

public sealed class NotificationRecord
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }
    public required string StepId { get; init; }
    public required string Recipient { get; init; }
    public string? Address { get; init; }
    public required string MessageZh { get; init; }
    public required string MessageEn { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public string? Channel { get; set; }

    /// <summary>The routed channels that have delivered it; a retry asks only the others.</summary>
    public string[] DeliveredChannels { get; set; } = [];

    public int Attempts { get; set; }

    /// <summary>When the delivery is asked for again if it has not happened by then (a lost message, a failed send).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public string? LastError { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
}

public sealed class SupplementRecord
{
    public long Id { get; init; }
    public required Guid CaseId { get; init; }
    public required string[] ChangedFields { get; init; }
    public required string Attachments { get; init; }
    public string? Note { get; init; }
    public string? SubmittedBy { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
}
