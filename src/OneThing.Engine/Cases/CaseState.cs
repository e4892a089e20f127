using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OneThing.Engine;

public enum CaseStatus { Running, Completed, Rejected, Withdrawn }

public enum StepStatus { Waiting, Active, Approved, Rejected, Skipped, Cancelled }

/// <param name="TaskId">Set when the step was activated; stays set after it ends.</param>
public sealed record StepState(string StepId, StepStatus Status, Guid? TaskId, DateTimeOffset? ActivatedAt, DateTimeOffset? EndedAt)
{
    /// <summary>How the step ended (approved, a declared outcome, rejected, skipped, breached, elapsed, sent); what <c>steps.&lt;id&gt;.outcome</c> tests.</summary>
    public string? Outcome { get; init; }

    /// <summary>Set while a supplement (补正) asked by this step's reviewer is outstanding.</summary>
    public DateTimeOffset? SupplementRequestedAt { get; init; }

    /// <summary>When the step's deadline passed; a second breach event for the step changes nothing.</summary>
    public DateTimeOffset? BreachedAt { get; init; }

    /// <summary>Which round of its loop the step is in; 1 for a step outside any loop.</summary>
    public int Round { get; init; } = 1;

    /// <summary>Who decided the step (a reviewer's user name or a department system), for independent verification.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>The department whose task decided the step.</summary>
    public string? DecidedByDepartment { get; init; }

    /// <summary>The departments a triage step's reviewer chose, each with a task of its own.</summary>
    public ImmutableList<ChosenDepartment> Chosen { get; init; } = [];

    /// <summary>For a step routed by place: the territorial unit whose inbox got its task.</summary>
    public string? Unit { get; init; }

    [JsonIgnore]
    public bool HasEnded => Status is StepStatus.Approved or StepStatus.Rejected or StepStatus.Skipped or StepStatus.Cancelled;

    [JsonIgnore]
    public bool AwaitsSupplement => SupplementRequestedAt is not null;

    /// <summary>The step has ended and so has the task of every department chosen at it; a department joined to the case is not the step's to wait for.</summary>
    [JsonIgnore]
    public bool HasEndedWithChosen => HasEnded && Chosen.All(chosen => chosen.WasJoined || chosen.HasEnded);

    /// <summary>Every task at the step has ended, joined departments' too: what the case waits for before it completes.</summary>
    [JsonIgnore]
    public bool HasEndedWithJoined => HasEndedWithChosen && Chosen.All(chosen => chosen.HasEnded);

    // Value equality over the chosen departments, not the list reference, so that states can be compared.
    public bool Equals(StepState? other) =>
        other is not null
        && (StepId, Status, TaskId, ActivatedAt, EndedAt, Outcome, SupplementRequestedAt, BreachedAt, Round, DecidedBy, DecidedByDepartment)
        == (other.StepId, other.Status, other.TaskId, other.ActivatedAt, other.EndedAt, other.Outcome, other.SupplementRequestedAt, other.BreachedAt,
            other.Round, other.DecidedBy, other.DecidedByDepartment)
        && Chosen.SequenceEqual(other.Chosen);

    public override int GetHashCode() => HashCode.Combine(StepId, Status, TaskId, Outcome, Round, Chosen.Count);
}

/// <summary>A department chosen at a triage step, or joined to the case at the step, and how its own task went.</summary>
public sealed record ChosenDepartment(string Department, Guid TaskId, StepStatus Status)
{
    public string? Outcome { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Set for a department joined to the running case (一键协同) rather than chosen at triage: why it was joined.</summary>
    public string? JoinedReason { get; init; }

    [JsonIgnore]
    public bool WasJoined => JoinedReason is not null;

    [JsonIgnore]
    public bool HasEnded => Status is StepStatus.Approved or StepStatus.Rejected or StepStatus.Cancelled;
}

public enum LoopStatus { Running, Satisfied, Exhausted }

/// <param name="Round">The round the loop's steps are in, from 1.</param>
public sealed record LoopState(string LoopId, int Round, LoopStatus Status);

/// <param name="Steps">One per step of the definition, in definition order.</param>
public sealed record CaseState(Guid CaseId, CaseStatus Status, ImmutableList<StepState> Steps, DateTimeOffset FiledAt, DateTimeOffset? EndedAt)
{
    /// <summary>How many reports an incident case has (1 for the report that opened it); 0 for a case filed at a window.</summary>
    public int Reports { get; init; }

    /// <summary>One per loop of the definition; empty for a workflow without loops.</summary>
    public ImmutableList<LoopState> Loops { get; init; } = [];

    public LoopState? FindLoop(string loopId) => Loops.Find(loop => loop.LoopId == loopId);

    /// <summary>How many cases the incident's place had in the 90 days up to this case's opening, this one included; 0 for a case filed at a window.</summary>
    public int PlaceCases { get; init; }

    public StepState? FindStep(string stepId) => Steps.Find(step => step.StepId == stepId);

    public ConditionScope ScopeFor(FormData form) => new(form, ConditionScope.OutcomesOf(Steps), Reports) { PlaceCases = PlaceCases };

    // Value equality over the steps, not the list reference, so that states can be compared and tested for determinism.
    public bool Equals(CaseState? other) =>
        other is not null
        && CaseId == other.CaseId
        && Status == other.Status
        && FiledAt == other.FiledAt
        && EndedAt == other.EndedAt
        && Reports == other.Reports
        && PlaceCases == other.PlaceCases
        && Steps.SequenceEqual(other.Steps)
        && Loops.SequenceEqual(other.Loops);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(CaseId);
        hash.Add(Status);
        hash.Add(FiledAt);
        hash.Add(EndedAt);
        hash.Add(Reports);
        hash.Add(PlaceCases);
        foreach (var step in Steps)
        {
            hash.Add(step);
        }

        return hash.ToHashCode();
    }
}
