namespace OneThing.DepartmentAdapter;

/// <summary>Same name as the engine's DepartmentQueues.System; spelled here because the adapter shares only the contracts.</summary>
public static class DepartmentSystemQueue
{
    public static string For(string department) => $"department-system-{department}";
}
