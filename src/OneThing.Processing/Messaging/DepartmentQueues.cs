using OneThing.Engine;

namespace OneThing.Processing.Messaging;

public static class DepartmentQueues
{
    public const string CaseEngine = "case-engine";

    public static string Inbox(string department) => $"department-{department}";

    public static string System(string department) => $"department-system-{department}";

    public static string For(string department, StepKind kind) =>
        kind == StepKind.Automated ? System(department) : Inbox(department);
}
