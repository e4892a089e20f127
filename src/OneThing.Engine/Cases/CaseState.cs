using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace OneThing.Engine;

public enum CaseStatus { Running, Completed, Rejected }

public enum StepStatus { Waiting, Active, Approved, Rejected, Skipped, Cancelled }

/// <param name="TaskId">Set when the step was activated; stays set after it ends.</param>
public sealed record StepState(string StepId, StepStatus Status, Guid? TaskId, DateTimeOffset? ActivatedAt, DateTimeOffset? EndedAt)
{
    [JsonIgnore]
    public bool HasEnded => Status is StepStatus.Approved or StepStatus.Rejected or StepStatus.Skipped or StepStatus.Cancelled;
}

/// <param name="Steps">One per step of the definition, in definition order.</param>
public sealed record CaseState(Guid CaseId, CaseStatus Status, ImmutableList<StepState> Steps, DateTimeOffset FiledAt, DateTimeOffset? EndedAt)
{
    public StepState? FindStep(string stepId) => Steps.Find(step => step.StepId == stepId);

    // Value equality over the steps, not the list reference, so that states can be compared and tested for determinism.
    public bool Equals(CaseState? other) =>
        other is not null
        && CaseId == other.CaseId
        && Status == other.Status
        && FiledAt == other.FiledAt
        && EndedAt == other.EndedAt
        && Steps.SequenceEqual(other.Steps);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(CaseId);
        hash.Add(Status);
        hash.Add(FiledAt);
        hash.Add(EndedAt);
        foreach (var step in Steps)
        {
            hash.Add(step);
        }

        return hash.ToHashCode();
    }
}
