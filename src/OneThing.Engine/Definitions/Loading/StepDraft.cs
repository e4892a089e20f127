using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>
/// One step as written, before the rules have looked at it. <see cref="Step"/> names it in messages (its id, or its
/// position when the id is missing); parts that could not be read are null and have already been reported.
/// </summary>
internal sealed record StepDraft(YamlMappingNode Entry, string? Id, string Step)
{
    public LocalizedText? Name { get; init; }

    public string? KindName { get; init; }

    public StepKind? Kind { get; init; }

    public string? Department { get; init; }

    public IReadOnlyList<string> Needs { get; init; } = [];

    public string? WhenText { get; init; }

    public Sla? Sla { get; init; }

    public IReadOnlyList<string> Sees { get; init; } = [];

    public IReadOnlyList<string> Outcomes { get; init; } = [];

    public IReadOnlyList<string> Provides { get; init; } = [];

    public JoinMode Join { get; init; }

    public RejectionPolicy OnReject { get; init; }

    public BreachActions? OnBreach { get; init; }

    public Sla? Duration { get; init; }

    public NotificationSpec? Notify { get; init; }

    public VerificationSpec? Verifies { get; init; }

    public IReadOnlyList<string> ChooseFrom { get; init; } = [];

    public Sla? ChosenSla { get; init; }

    /// <summary>An unknown kind is read as a review step so that its department is still checked.</summary>
    public bool ByDepartment => (Kind ?? StepKind.Review).IsHandledByDepartment();

    public bool Has(string key) => YamlReader.Get(Entry, key) is not null;

    /// <summary>A missing name or department has been reported, so Parse will throw; placeholders keep the checks across steps going.</summary>
    public StepDefinition ToDefinition(string id) =>
        new(
            id,
            Name ?? new LocalizedText(id, id),
            ByDepartment ? Department ?? "" : null,
            Kind ?? StepKind.Review,
            Needs.Distinct(StringComparer.Ordinal).ToList(),
            null,
            null,
            Sla,
            Sees.Distinct(StringComparer.Ordinal).ToList())
        {
            Outcomes = Outcomes.Distinct(StringComparer.Ordinal).ToList(),
            Provides = Provides.Distinct(StringComparer.Ordinal).ToList(),
            Join = Join,
            OnReject = OnReject,
            OnBreach = OnBreach,
            Duration = Duration,
            Notify = Notify,
            Verifies = Verifies,
            ChooseFrom = ChooseFrom.Distinct(StringComparer.Ordinal).ToList(),
            ChosenSla = ChosenSla,
        };
}
