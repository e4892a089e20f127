using System.Security.Claims;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;

namespace OneThing.Api.Accounts;

/// <summary>Who may call what. Every endpoint names one of these or is reachable by any signed-in account (the fallback).</summary>
public static class Policies
{
    public const string FileCases = "file-cases";
    public const string ReadCases = "read-cases";
    public const string ReadInboxes = "read-inboxes";
    public const string DecideTasks = "decide-tasks";
    public const string Supervise = "supervise";
    public const string ReadAudit = "read-audit";
    public const string ManageAccounts = "manage-accounts";
    public const string ReportIncidents = "report-incidents";
    public const string ManageWorkflows = "manage-workflows";
    public const string ReadAttachments = "read-attachments";
    public const string JoinDepartments = "join-departments";

    /// <summary>The register of enrolled elders: admins and the reviewers of civil affairs (民政), who keep it.</summary>
    public const string ManageElderRegister = "manage-elder-register";

    public const string CivilAffairs = "civil-affairs";

    public static readonly IReadOnlyDictionary<string, string[]> RolesByPolicy = new Dictionary<string, string[]>
    {
        [FileCases] = [Roles.Clerk],
        [ReadCases] = [Roles.Clerk, Roles.Supervisor],
        [ReadInboxes] = [Roles.Reviewer, Roles.Supervisor],
        [DecideTasks] = [Roles.Reviewer],
        [Supervise] = [Roles.Supervisor],
        [ReadAudit] = [Roles.Supervisor, Roles.Admin],
        [ManageAccounts] = [Roles.Admin],
        [ManageWorkflows] = [Roles.Admin],
        // Hotline clerks take residents' reports; sensors, cameras and grid workers' apps sign in as reporters.
        [ReportIncidents] = [Roles.Clerk, Roles.Supervisor, Roles.Reporter],
        // Which file each may open is decided per file, by the field it belongs to (ReadAttachment).
        [ReadAttachments] = [Roles.Clerk, Roles.Reviewer, Roles.Supervisor],
        // Which reviewers may join is the workflow's joining rule (the lead department), checked by the engine.
        [JoinDepartments] = [Roles.Reviewer, Roles.Supervisor],
    };
}

public static class StaffPrincipal
{
    public static string? UserName(this ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.Identity.Name : null;

    /// <summary>A reviewer's department; null for every other role.</summary>
    public static string? Department(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Reviewer) ? user.FindFirstValue(StaffClaims.Department) : null;

    public static string? Role(this ClaimsPrincipal user) => Roles.All.FirstOrDefault(user.IsInRole);

    public static AuditActor AuditActor(this HttpContext http) =>
        new(http.User.UserName(), http.User.Role() ?? "anonymous", http.Connection.RemoteIpAddress?.ToString()) { Department = http.User.Department() };
}
