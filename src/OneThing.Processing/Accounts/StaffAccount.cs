using Microsoft.AspNetCore.Identity;

namespace OneThing.Processing.Accounts;

/// <summary>A civil servant's sign-in account. Reviewers belong to exactly one department; other roles to none.</summary>
public sealed class StaffAccount : IdentityUser
{
    public string? Department { get; set; }
}

public static class Roles
{
    public const string Clerk = "clerk";
    public const string Reviewer = "reviewer";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Clerk, Reviewer, Supervisor, Admin];
}

/// <summary>Claim types this service adds to a signed-in principal.</summary>
public static class StaffClaims
{
    public const string Department = "onething:department";
}
