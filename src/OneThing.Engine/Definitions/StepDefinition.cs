namespace OneThing.Engine;

public enum StepKind { Review, Automated }

/// <param name="When">Null when the step always runs.</param>
/// <param name="WhenText">The condition as written in the definition, for messages and history.</param>
/// <param name="Sees">The form fields this step's department may see (data minimisation).</param>
public sealed record StepDefinition(
    string Id,
    LocalizedText Name,
    string Department,
    StepKind Kind,
    IReadOnlyList<string> Needs,
    Condition? When,
    string? WhenText,
    Sla? Sla,
    IReadOnlyList<string> Sees);
