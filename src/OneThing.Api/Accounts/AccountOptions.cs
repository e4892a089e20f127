namespace OneThing.Api.Accounts;

public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>The one password of every demo account (README). Demo accounts exist only where seeding is on.</summary>
    public const string DefaultDemoPassword = "OneThing-Demo-2026";

    /// <summary>Create the demo accounts at start-up. On in Development (appsettings.Development.json) and in tests only.</summary>
    public bool SeedDemoAccounts { get; set; }

    public string DemoPassword { get; set; } = DefaultDemoPassword;

    /// <summary>When set and no admin exists yet, an <c>admin</c> account with this password is created: the first admin of a real installation.</summary>
    public string? BootstrapAdminPassword { get; set; }

    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan BearerTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromHours(8);
}
