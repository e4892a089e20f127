namespace OneThing.Processing.Audit;

/// <summary>
/// One row of the append-only audit log: who did what to which record, when and from where. Never holds personal
/// data in clear: targets are ids and case numbers, details are masked or free of form values.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public string? Actor { get; init; }
    public string? Role { get; init; }
    public required string Action { get; init; }
    public string? TargetType { get; init; }
    public string? TargetId { get; init; }
    public string? ClientAddress { get; init; }
    public string? Detail { get; init; }
}

public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SignOut = "sign-out";
    public const string SignInThrottled = "sign-in-throttled";
    public const string AccountLocked = "account-locked";
    public const string DemoAccountDisabled = "demo-account-disabled";
    public const string CaseFiled = "case-filed";
    public const string PersonalDataRead = "personal-data-read";
    public const string TaskClaimed = "task-claimed";
    public const string TaskApproved = "task-approved";
    public const string TaskRejected = "task-rejected";
    public const string CaseUrged = "case-urged";
    public const string TaskReassigned = "task-reassigned";
    public const string AccountCreated = "account-created";
    public const string AccountUnlocked = "account-unlocked";
    public const string PasswordChanged = "password-changed";
    public const string PasswordChangeRefused = "password-change-refused";
    public const string PasswordReset = "password-reset";
    public const string AccountDisabled = "account-disabled";
    public const string AccountEnabled = "account-enabled";
    public const string AccountRoleChanged = "account-role-changed";

    /// <summary>A refresh token used a second time: a copy is in someone else's hands, so its whole family is revoked.</summary>
    public const string RefreshTokenReused = "refresh-token-reused";
    public const string CaseRated = "case-rated";
    public const string SupplementRequested = "supplement-requested";
    public const string SupplementSubmitted = "supplement-submitted";
    public const string CaseWithdrawn = "case-withdrawn";
    public const string ExtensionRequested = "extension-requested";
    public const string ExtensionGranted = "extension-granted";
    public const string ExtensionRefused = "extension-refused";
    public const string CaseMigrated = "case-migrated";
    public const string DepartmentJoined = "department-joined";
    public const string DepartmentJoinRefused = "department-join-refused";
    public const string MigrationDryRun = "migration-dry-run";
    public const string AttachmentUploaded = "attachment-uploaded";
    public const string AttachmentDownloaded = "attachment-downloaded";

    /// <summary>A download asked for by someone who may not see the field the file belongs to; they were told it does not exist.</summary>
    public const string AttachmentDownloadRefused = "attachment-download-refused";

    /// <summary>A supplement or withdrawal refused to a clerk not entitled to it, or one that tried to write masked or department values.</summary>
    public const string CaseChangeRefused = "case-change-refused";
    public const string ElderEnrolled = "elder-enrolled";
    public const string EnrolmentUpdated = "enrolment-updated";
    public const string EnrolmentEnded = "enrolment-ended";
}

public static class AuditTargets
{
    public const string Case = "case";
    public const string Task = "task";
    public const string Account = "account";
    public const string Attachment = "attachment";

    /// <summary>An entry of the register of enrolled elders, by meter id.</summary>
    public const string EnrolledElder = "enrolled-elder";
}

/// <summary>Who acts, as the audit log records it. Department systems and anonymous citizens act too.</summary>
public sealed record AuditActor(string? UserName, string? Role, string? ClientAddress)
{
    public static AuditActor DepartmentSystem(string department) => new($"system:{department}", "department-system", null) { Department = department };

    /// <summary>The department a reviewer (or a department's system) belongs to; the use cases scope what it may touch by it.</summary>
    public string? Department { get; init; }

    public static readonly AuditActor Applicant = new(null, "applicant", null);

    /// <summary>The name written into case history and task assignments.</summary>
    public string Name => UserName ?? Role ?? "anonymous";
}
