using Microsoft.AspNetCore.Identity;

namespace OneThing.Processing.Accounts;

/// <summary>A sign-in account of a civil servant or a reporting system. Reviewers belong to exactly one department; other roles to none.</summary>
public sealed class StaffAccount : IdentityUser
{
    public string? Department { get; set; }

    /// <summary>
    /// The service hall (政务服务大厅) a clerk works at. Clerks of one hall stand in for each other on its cases
    /// (supplements, withdrawals); a clerk without a hall acts only on the cases they filed.
    /// </summary>
    public string? Hall { get; set; }

    /// <summary>When an admin disabled the account: it cannot sign in and its sessions have ended. Kept, not deleted, for the audit log.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}

public static class Roles
{
    public const string Clerk = "clerk";
    public const string Reviewer = "reviewer";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";

    /// <summary>A sensor gateway, camera system or grid worker's app: may report incidents and nothing else.</summary>
    public const string Reporter = "reporter";

    public static readonly IReadOnlyList<string> All = [Clerk, Reviewer, Supervisor, Admin, Reporter];
}

/// <summary>Claim types this service adds to a signed-in principal.</summary>
public static class StaffClaims
{
    public const string Department = "onething:department";

    /// <summary>The refresh-token family a bearer token belongs to: one per bearer sign-in, revoked as a whole.</summary>
    public const string TokenFamily = "onething:token-family";

    /// <summary>Which refresh of its family a bearer token came from; only the family's current one may be refreshed.</summary>
    public const string TokenId = "onething:token-id";
}
