using System.Collections.Immutable;

namespace OneThing.Engine;

/// <summary>What a <c>when</c> condition can see: the form, the outcomes of steps that have ended, and how many reports an incident has.</summary>
public sealed record ConditionScope(FormData Form, IReadOnlyDictionary<string, string>? StepOutcomes = null, int Reports = 0)
{
    public const string ReportsName = "case.reports";

    public const string PlaceCasesName = "place.cases90d";

    /// <summary>How many cases the incident's place had in the 90 days up to this case's opening, this one included.</summary>
    public int PlaceCases { get; init; }

    internal ConditionValue Resolve(string name)
    {
        if (!name.Contains('.'))
        {
            return Form.TryGet(name, out var value) ? ConditionValue.From(value) : ConditionValue.Missing;
        }

        if (name == ReportsName)
        {
            return ConditionValue.FromNumber(Reports);
        }

        if (name == PlaceCasesName)
        {
            return ConditionValue.FromNumber(PlaceCases);
        }

        var parts = name.Split('.');
        return parts is ["steps", var stepId, "outcome"] && StepOutcomes?.GetValueOrDefault(stepId) is { } outcome
            ? ConditionValue.FromString(outcome)
            : ConditionValue.Missing;
    }

    public static IReadOnlyDictionary<string, string> OutcomesOf(IEnumerable<StepState> steps) =>
        steps.Where(step => step.Outcome is not null).ToImmutableDictionary(step => step.StepId, step => step.Outcome!, StringComparer.Ordinal);
}

/// <summary>How the loader resolves a dotted name in a condition: as a typed pseudo-field, or a problem to report.</summary>
public sealed record DottedName(FormField? Field, string? Problem);
