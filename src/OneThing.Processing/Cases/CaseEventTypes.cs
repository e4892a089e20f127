namespace OneThing.Processing.Cases;

public static class CaseEventTypes
{
    public const string CaseFiled = "case-filed";
    public const string TaskDispatched = "task-dispatched";
    public const string TaskRedispatched = "task-redispatched";
    public const string TaskReceived = "task-received";
    public const string TaskClaimed = "task-claimed";
    public const string TaskApproved = "task-approved";
    public const string TaskRejected = "task-rejected";
    public const string TaskCancelled = "task-cancelled";
    public const string StepSkipped = "step-skipped";
    public const string CaseCompleted = "case-completed";
    public const string CaseRejected = "case-rejected";
    public const string TaskWarning = "task-warning";
    public const string TaskBreached = "task-breached";
    public const string TaskEscalated = "task-escalated";
    public const string CaseWarning = "case-warning";
    public const string CaseBreached = "case-breached";
    public const string TaskUrged = "task-urged";
    public const string TaskReassigned = "task-reassigned";
    public const string WaitStarted = "wait-started";
    public const string WaitCancelled = "wait-cancelled";
    public const string NotificationSent = "notification-sent";
    public const string StepEnded = "step-ended";
    public const string StepForced = "step-forced";
    public const string StepReevaluated = "step-reevaluated";
    public const string SupplementRequested = "supplement-requested";
    public const string SupplementSubmitted = "supplement-submitted";
    public const string TaskResumed = "task-resumed";
    public const string CaseWithdrawn = "case-withdrawn";
    public const string IncidentReported = "incident-reported";
    public const string ReportAttached = "report-attached";
    public const string CaseClockResumed = "case-clock-resumed";
    public const string ExtensionRequested = "extension-requested";
    public const string ExtensionGranted = "extension-granted";
    public const string ExtensionRefused = "extension-refused";
    public const string CaseMigrated = "case-migrated";
    public const string DepartmentsChosen = "departments-chosen";
    public const string DepartmentJoined = "department-joined";
    public const string LoopRepeated = "loop-repeated";
    public const string LoopSatisfied = "loop-satisfied";
    public const string LoopExhausted = "loop-exhausted";
}
