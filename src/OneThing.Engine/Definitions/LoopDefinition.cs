namespace OneThing.Engine;

/// <summary>escalate: supervisors are told and the case goes on; end-case: the case ends unresolved; start-step: a named step starts at once.</summary>
public enum LoopLimitAction { Escalate, EndCase, StartStep }

/// <param name="Step">The step started when <paramref name="Action"/> is <see cref="LoopLimitAction.StartStep"/>.</param>
public sealed record LoopLimit(LoopLimitAction Action, string? Step)
{
    public override string ToString() => Action switch
    {
        LoopLimitAction.Escalate => "escalate",
        LoopLimitAction.EndCase => "end-case",
        _ => Step!,
    };
}

/// <summary>
/// A group of steps that runs again, as a new round with new tasks and deadlines, until <paramref name="Until"/>
/// holds on the outcomes of the round that just ended (e.g. re-inspect until rectified), at most
/// <paramref name="MaxRounds"/> times; then <paramref name="OnMax"/> happens. Steps outside the loop that need one
/// of its steps wait for the loop to be settled.
/// </summary>
/// <param name="UntilText">The condition as written, for messages, history and diagrams.</param>
public sealed record LoopDefinition(string Id, IReadOnlyList<string> Steps, Condition Until, string UntilText, int MaxRounds, LoopLimit OnMax)
{
    public bool Contains(string stepId) => Steps.Contains(stepId, StringComparer.Ordinal);
}
