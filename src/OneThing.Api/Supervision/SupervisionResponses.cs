namespace OneThing.Api.Supervision;

public sealed record LightCounts(int Green, int Yellow, int Red, int NoDeadline);

public sealed record GroupLightCounts(string Key, LightCounts Counts);

public sealed record SupervisionOverview(
    DateTimeOffset At,
    int OpenCases,
    int OpenTasks,
    LightCounts Tasks,
    IReadOnlyList<GroupLightCounts> ByDepartment,
    IReadOnlyList<GroupLightCounts> ByWorkflow);

public sealed record BreachItem(
    Guid TaskId,
    Guid CaseId,
    string CaseNumber,
    string WorkflowId,
    string StepId,
    string Department,
    string State,
    string? Assignee,
    DateTimeOffset DueAt,
    double OverdueWorkingHours,
    double OverdueHours,
    int EscalationLevel);

public sealed record BreachPage(IReadOnlyList<BreachItem> Items, int Page, int PageSize, int Total);

public sealed record DepartmentStatistics(
    string Department,
    int Open,
    int Overdue,
    int Handled,
    double? MedianHandlingWorkingHours,
    double? P90HandlingWorkingHours);

public sealed record UrgeRequest(string? Message);

public sealed record UrgeResponse(Guid CaseId, int UrgedTasks);

public sealed record ReassignRequest(string? Assignee);
