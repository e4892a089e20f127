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

    /// <summary>A triage task's reviewer approves by choosing at least one of these departments.</summary>
    public IReadOnlyList<string> ChooseFrom { get; init; } = [];

    /// <summary>The round of the step's loop; 1 outside loops.</summary>
    public int Round { get; init; } = 1;

    /// <summary>The workflow version the case runs on: what its decisions are checked against.</summary>
    public int WorkflowVersion { get; init; }

    /// <summary>The task of a department chosen at a triage step.</summary>
    public bool ChosenAtTriage { get; init; }
}

/// <param name="Outcome">Required when the step declares outcomes (e.g. resolved / unresolved): which one.</param>
/// <param name="Form">Required when the step provides form fields (e.g. the credit code a business licence issues).</param>
/// <param name="Departments">For a triage task: the departments that act, from those the step allows.</param>
public sealed record ApproveTaskRequest(string? Comment, string? Outcome = null, JsonElement? Form = null, IReadOnlyList<string?>? Departments = null);

public sealed record RequestSupplementRequest(string? Message);

public sealed record RejectTaskRequest(string? Reason);

public sealed record TaskDecisionResponse(Guid TaskId, string State, Guid CaseId, string CaseStatus);

/// <summary>One page of a department's inbox, most urgent first, and how many tasks the filter matches in all.</summary>
/// <param name="Total">How many tasks match, counted up to <see cref="CountLimit"/>.</param>
public sealed record DepartmentTaskPage(IReadOnlyList<DepartmentTaskResponse> Items, int Page, int PageSize, int Total)
{
    /// <summary>
    /// Counted exactly up to here; beyond it a page says "more than this many". An exact count reads every matching index
    /// entry on every page (about 20 ms in PostgreSQL alone at 100,000 open tasks); nobody pages through ten thousand
    /// tasks, they filter.
    /// </summary>
    public const int CountLimit = 10_000;

    /// <summary>More tasks match than <see cref="Total"/> says: the count stopped at its limit.</summary>
    public bool TotalCapped { get; init; }
}
