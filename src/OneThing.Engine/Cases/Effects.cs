namespace OneThing.Engine;

/// <summary>Something the engine asks the outside world to do; the processor turns effects into outbox and history rows.</summary>
public abstract record Effect;

/// <param name="Department">The inbox: a department's code, or a territorial unit's for a step routed by place.</param>
/// <param name="Round">The round of the step's loop the task belongs to; 1 outside loops.</param>
/// <param name="Chosen">The task of a department chosen at a triage step, not the triage itself.</param>
public sealed record DispatchTask(Guid TaskId, string StepId, string Department, StepKind Kind, Sla? Sla, int Round = 1, bool Chosen = false) : Effect
{
    /// <summary>How the unit was found, for the history line; null for a step that goes to a department.</summary>
    public PlaceRoute? Place { get; init; }
}

public enum CancelCause { CaseRejected, CaseWithdrawn, DeadlineMissed }

/// <param name="Reason">For history only: a withdrawal's reason holds a clerk's own words.</param>
public sealed record CancelTask(Guid TaskId, string StepId, string Department, CancelCause Cause, string Reason) : Effect;

/// <param name="Reason">For history, e.g. "condition 'hasSchoolAgeChild == true' is false".</param>
public sealed record SkipStep(string StepId, string Reason) : Effect;

public sealed record CompleteCase(CaseStatus Outcome) : Effect;

/// <summary>A wait step started: the processor schedules a timer that comes back as <see cref="WaitElapsed"/>.</summary>
public sealed record StartWait(string StepId, Sla Duration) : Effect;

/// <summary>A wait step ended early because the case ended; its timer is no longer needed.</summary>
public sealed record CancelWait(string StepId) : Effect;

/// <param name="StepId">The notify step, or the step whose breach sends the message.</param>
/// <param name="To">applicant, clerk, or the key of a mobile field on the form.</param>
public sealed record SendNotification(string StepId, string To, LocalizedText Message) : Effect;

/// <summary>A step's outcome was recorded (a declared outcome, breached, elapsed, sent); history shows it.</summary>
public sealed record StepEnded(string StepId, string Outcome) : Effect;

/// <summary>补正 asked: the task's deadline clock stops until the supplement arrives.</summary>
public sealed record PauseTask(Guid TaskId, string StepId, string Message) : Effect;

/// <summary>The supplement arrived: the same task resumes with the same reviewer, its deadline moved by the pause.</summary>
public sealed record ResumeTask(Guid TaskId, string StepId) : Effect;

/// <summary>A step was started by another step's missed deadline, not by its needs.</summary>
public sealed record StepForced(string StepId, string ByStep) : Effect;

/// <summary>A triage step's reviewer chose the departments that act; each got a task of its own.</summary>
public sealed record DepartmentsChosen(string StepId, IReadOnlyList<string> Departments) : Effect;

/// <summary>A loop's round ended without its condition holding: its steps start again as <paramref name="Round"/>.</summary>
public sealed record LoopRepeated(string LoopId, int Round, string UntilText) : Effect;

/// <summary>A loop's condition held at the end of <paramref name="Round"/>; the steps after it go on.</summary>
public sealed record LoopSatisfied(string LoopId, int Round, string UntilText) : Effect;

/// <summary>A loop ran its last round without its condition holding; <paramref name="OnMax"/> says what follows.</summary>
/// <param name="TaskIds">The tasks of the last round, which an escalation marks for supervisors.</param>
public sealed record LoopExhausted(string LoopId, int Rounds, LoopLimit OnMax, IReadOnlyList<Guid> TaskIds) : Effect;

/// <summary>A report attached to an incident made a skipped step's condition hold; the step started after all.</summary>
public sealed record StepReevaluated(string StepId, string Reason) : Effect;

/// <summary>A department was joined to the running case at <paramref name="StepId"/>; its task is dispatched beside this effect.</summary>
public sealed record DepartmentJoinedCase(string StepId, string Department, Guid TaskId, string Reason, string Actor) : Effect;
