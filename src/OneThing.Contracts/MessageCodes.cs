// A namespace of their own: every public type in OneThing.Contracts is read as a message type.
namespace OneThing.Contracts.Codes;

/// <summary>Why a task is cancelled (<see cref="CancelDepartmentTask.Cause"/>). New values are announced before they are sent.</summary>
public static class CancelCauses
{
    public const string CaseRejected = "case-rejected";
    public const string CaseWithdrawn = "case-withdrawn";
    public const string DeadlineMissed = "deadline-missed";

    public static readonly IReadOnlyList<string> All = [CaseRejected, CaseWithdrawn, DeadlineMissed];

    /// <summary>The fixed words a v1 receiver reads in <see cref="CancelDepartmentTask.Reason"/>.</summary>
    public static string Describe(string cause) => cause switch
    {
        CaseRejected => "case rejected",
        CaseWithdrawn => "case withdrawn",
        DeadlineMissed => "deadline missed",
        _ => "task no longer needed",
    };
}

/// <summary>Why a department's system refuses a task (<see cref="DepartmentTaskRejected.ReasonCode"/>).</summary>
public static class RejectionReasonCodes
{
    public const string RecordNotFound = "record-not-found";
    public const string DataMismatch = "data-mismatch";
    public const string NotEligible = "not-eligible";
    public const string DuplicateApplication = "duplicate-application";
    public const string SystemError = "system-error";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [RecordNotFound, DataMismatch, NotEligible, DuplicateApplication, SystemError, Other];
}

public static class UrgeTexts
{
    /// <summary>What every urge says on the bus; what the supervisor wrote is read in OneThing.</summary>
    public const string Message = "督办催办，请尽快办理 / Urged by a supervisor: please finish this task";
}
