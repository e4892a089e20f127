namespace OneThing.Engine;

/// <summary>
/// review: a reviewer decides; automated: the department's own system answers; wait: the case waits a duration
/// (e.g. a rectification period); notify: a message goes to the applicant, the clerk or a phone number on the form;
/// triage: a reviewer chooses which departments act (事情归谁负责), and each chosen department gets a task of its own.
/// </summary>
public enum StepKind { Review, Automated, Wait, Notify, Triage }

public static class StepKindExtensions
{
    /// <summary>Review and automated steps are a department's task; wait and notify steps run by themselves.</summary>
    public static bool IsHandledByDepartment(this StepKind kind) => kind is StepKind.Review or StepKind.Automated or StepKind.Triage;

    /// <summary>A person decides: they may ask for a supplement, choose an outcome, and be held to independence.</summary>
    public static bool IsDecidedByPerson(this StepKind kind) => kind is StepKind.Review or StepKind.Triage;
}

/// <summary>
/// all: every needed step has ended; any: one needed step was approved, or all have ended; all-chosen: every needed
/// step has ended and so has the task of every department chosen at the needed triage steps.
/// </summary>
public enum JoinMode { All, Any, AllChosen }

/// <summary>person: the decider is not whoever decided the verified step; department: nor anyone of that department.</summary>
public enum Independence { Person, Department }

/// <summary>核查: the step verifies <paramref name="Step"/>, so its decider must be independent of that step's.</summary>
public sealed record VerificationSpec(string Step, Independence Independence);

/// <summary>end-case: a rejection rejects the whole case; continue: the case goes on without this step.</summary>
public enum RejectionPolicy { EndCase, Continue }

/// <param name="To">applicant, clerk, or the key of a mobile field on the form (e.g. familyPhone).</param>
public sealed record NotificationSpec(string To, LocalizedText Message)
{
    public const string Applicant = "applicant";
    public const string Clerk = "clerk";
}

/// <summary>What happens when a step misses its deadline. Every part is optional; the breach is recorded regardless.</summary>
/// <param name="Start">Steps started at once, whatever their needs and conditions.</param>
/// <param name="Cancel">The step itself is cancelled (its outcome becomes <c>breached</c>) and the case moves on.</param>
public sealed record BreachActions(IReadOnlyList<string> Start, bool Cancel, NotificationSpec? Notify);

/// <param name="Department">Null for wait and notify steps, which no department handles.</param>
/// <param name="When">Null when the step always runs.</param>
/// <param name="WhenText">The condition as written in the definition, for messages and history.</param>
/// <param name="Sees">The form fields this step's department may see (data minimisation).</param>
public sealed record StepDefinition(
    string Id,
    LocalizedText Name,
    string? Department,
    StepKind Kind,
    IReadOnlyList<string> Needs,
    Condition? When,
    string? WhenText,
    Sla? Sla,
    IReadOnlyList<string> Sees)
{
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Skipped = "skipped";
    public const string Breached = "breached";
    public const string Elapsed = "elapsed";
    public const string Sent = "sent";

    /// <summary>What a reviewer may choose instead of a plain approval (e.g. resolved, unresolved); empty when approve is the only one.</summary>
    public IReadOnlyList<string> Outcomes { get; init; } = [];

    /// <summary>Form fields the department fills in when it approves (e.g. the credit code market regulation issues); later steps may see them.</summary>
    public IReadOnlyList<string> Provides { get; init; } = [];

    public JoinMode Join { get; init; } = JoinMode.All;

    public RejectionPolicy OnReject { get; init; } = RejectionPolicy.EndCase;

    public BreachActions? OnBreach { get; init; }

    /// <summary>How long a wait step waits.</summary>
    public Sla? Duration { get; init; }

    /// <summary>The message a notify step sends.</summary>
    public NotificationSpec? Notify { get; init; }

    /// <summary>Set on a step that verifies (核查) an earlier one.</summary>
    public VerificationSpec? Verifies { get; init; }

    /// <summary>The departments a triage step's reviewer may choose from; empty for every other kind.</summary>
    public IReadOnlyList<string> ChooseFrom { get; init; } = [];

    /// <summary>The deadline of each chosen department's task.</summary>
    public Sla? ChosenSla { get; init; }

    /// <summary>Set for a step routed by place: its task goes to a territorial unit's inbox, and <see cref="Department"/> is null.</summary>
    public PlaceRoute? Place { get; init; }

    public bool IsHandledByDepartment => Kind.IsHandledByDepartment();

    /// <summary>Every value <c>steps.&lt;id&gt;.outcome</c> can take for this step, which conditions are checked against.</summary>
    public IReadOnlyList<string> PossibleOutcomes()
    {
        var outcomes = Kind switch
        {
            StepKind.Wait => [Elapsed],
            StepKind.Notify => [Sent],
            _ when Outcomes.Count > 0 => Outcomes.Append(Rejected).ToList(),
            _ => new List<string> { Approved, Rejected },
        };
        outcomes = outcomes.Append(Skipped).ToList();
        return OnBreach is { Cancel: true } ? outcomes.Append(Breached).ToList() : outcomes;
    }

    /// <summary>The outcome a decision records: the reviewer's choice, or <c>approved</c> for a step without declared outcomes.</summary>
    public bool AcceptsOutcome(string? outcome) =>
        Outcomes.Count == 0 ? outcome is null or Approved : outcome is not null && Outcomes.Contains(outcome, StringComparer.Ordinal);
}
