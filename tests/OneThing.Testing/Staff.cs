using OneThing.Api.Accounts;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;

namespace OneThing.Testing;

/// <summary>The demo accounts every test host seeds, all with the documented demo password.</summary>
public static class Staff
{
    public const string Clerk = "clerk";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";
    public const string Reporter = "reporter";
    public const string DemoPassword = AccountOptions.DefaultDemoPassword;

    public static string Reviewer(string department) => $"reviewer.{department}";

    /// <summary>
    /// A reviewer of <paramref name="department"/> as a use case meets them when a page calls it for the signed-in account:
    /// the use cases scope by the actor's department, so a test calling one directly needs it too. The demo reviewer unless
    /// <paramref name="userName"/> names another account of the department.
    /// </summary>
    public static AuditActor ReviewerActor(string department, string? userName = null) =>
        new(userName ?? Reviewer(department), Roles.Reviewer, "127.0.0.1") { Department = department };
}
