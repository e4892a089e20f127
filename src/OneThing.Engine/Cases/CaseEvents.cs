namespace OneThing.Engine;

public enum Decision { Approve, Reject }

public static class DecisionExtensions
{
    /// <summary>How a step (or a chosen department's part of it) ends when it is decided this way.</summary>
    public static StepStatus EndedStatus(this Decision decision) => decision == Decision.Approve ? StepStatus.Approved : StepStatus.Rejected;
}

public abstract record CaseEvent;

/// <param name="Actor">Who decided: a reviewer's user id, or a department system's name; null when unknown.</param>
/// <param name="Outcome">The reviewer's choice among the step's declared outcomes; null for a plain approval or a rejection.</param>
/// <param name="ActorDepartment">The department whose task it is, for independent verification.</param>
/// <param name="Departments">The departments a triage step's reviewer chose; null for every other step.</param>
public sealed record StepDecided(string StepId, Guid TaskId, Decision Decision, string? Comment, string? Actor, string? Outcome = null,
    string? ActorDepartment = null, IReadOnlyList<string>? Departments = null) : CaseEvent;

/// <summary>The step's deadline passed while it was still open (sent by the deadline sweeper).</summary>
public sealed record StepBreached(string StepId, Guid TaskId) : CaseEvent;

/// <summary>A wait step's duration is over.</summary>
public sealed record WaitElapsed(string StepId) : CaseEvent;

/// <summary>补正: the reviewer needs more material before deciding; the task waits for the clerk.</summary>
public sealed record SupplementRequested(string StepId, Guid TaskId, string Message, string? Actor) : CaseEvent;

/// <summary>The clerk supplied what was asked; the form changes were merged before the engine sees the form.</summary>
public sealed record SupplementSubmitted(string? Actor) : CaseEvent;

/// <summary>The applicant withdraws the case (撤回).</summary>
public sealed record CaseWithdrawn(string Reason, string? Actor) : CaseEvent;

/// <summary>Another report of the same incident arrived and was attached to this case.</summary>
public sealed record IncidentReportAttached : CaseEvent;

/// <summary>一键协同: a supervisor, or the lead department's reviewer, adds a department's task to the running case.</summary>
/// <param name="JoinerDepartment">The department of a reviewer who joins as the lead department; null for a supervisor.</param>
public sealed record DepartmentJoined(string Department, Sla Sla, string Reason, string Actor, Joiner By, string? JoinerDepartment = null) : CaseEvent;
