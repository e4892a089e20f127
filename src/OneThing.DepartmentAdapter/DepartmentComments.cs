namespace OneThing.DepartmentAdapter;

/// <summary>What each simulated system writes on the case when it completes a task (shown to staff, bilingual).</summary>
public static class DepartmentComments
{
    private static readonly Dictionary<string, string> ByDepartment = new(StringComparer.Ordinal)
    {
        ["housing-fund"] = "公积金账户信息已更新 / Housing-fund account records updated",
        ["social-security"] = "社保单位登记信息已更新 / Social-insurance employer records updated",
        ["public-security"] = "公章刻制备案已登记 / Company seal filing recorded",
    };

    public static string For(string department) =>
        ByDepartment.GetValueOrDefault(department, "部门系统已自动更新记录 / Records updated by the department's system");
}
