namespace OneThing.Engine;

/// <summary>Something the engine asks the outside world to do; the processor turns effects into outbox and history rows.</summary>
public abstract record Effect;

public sealed record DispatchTask(Guid TaskId, string StepId, string Department, StepKind Kind, Sla? Sla) : Effect;

public sealed record CancelTask(Guid TaskId, string StepId, string Department, string Reason) : Effect;

/// <param name="Reason">For history, e.g. "condition 'hasSchoolAgeChild == true' is false".</param>
public sealed record SkipStep(string StepId, string Reason) : Effect;

public sealed record CompleteCase(CaseStatus Outcome) : Effect;
