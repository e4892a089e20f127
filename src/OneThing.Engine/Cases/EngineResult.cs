using System.Collections.Immutable;

namespace OneThing.Engine;

public abstract record EngineResult;

public sealed record Applied(CaseState State, ImmutableArray<Effect> Effects) : EngineResult
{
    // Value equality over the effects, not the array reference, so that results can be compared.
    public bool Equals(Applied? other) =>
        other is not null && State.Equals(other.State) && Effects.SequenceEqual(other.Effects);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(State);
        foreach (var effect in Effects)
        {
            hash.Add(effect);
        }

        return hash.ToHashCode();
    }
}

/// <summary>The event repeats what already happened (a re-delivered message): nothing changes and nothing is emitted.</summary>
public sealed record AlreadyApplied(CaseState State) : EngineResult;

public enum RefusalReason { UnknownStep, UnknownTask, StepNotActive, AlreadyDecided, CaseEnded, InvalidOutcome, SupplementOutstanding, NoSupplementRequested, NotAWaitStep,
    NotIndependent, InvalidChoice, NotAllowed }

public sealed record Refused(RefusalReason Reason, string Message) : EngineResult;
