using OneThing.Api.Accounts;

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
}
