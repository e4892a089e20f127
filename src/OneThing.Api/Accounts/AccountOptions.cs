namespace OneThing.Api.Accounts;

public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>The one password of every demo account (README). Demo accounts exist only where seeding is on.</summary>
    public const string DefaultDemoPassword = "OneThing-Demo-2026";

    /// <summary>
    /// Where demo accounts may exist: a developer's machine, and automated tests and benchmarks, which say so by running in
    /// <c>Testing</c>. Anywhere else seeding is refused and leftover demo accounts are disabled.
    /// </summary>
    public static readonly IReadOnlyList<string> DemoEnvironments = [Environments.Development, "Testing"];

    public static bool DemoAccountsAllowedIn(IHostEnvironment environment) =>
        DemoEnvironments.Any(name => environment.IsEnvironment(name));

    /// <summary>Create the demo accounts at start-up. On in Development (appsettings.Development.json); refused outside <see cref="DemoEnvironments"/>.</summary>
    public bool SeedDemoAccounts { get; set; }

    public string DemoPassword { get; set; } = DefaultDemoPassword;

    /// <summary>When set and no admin exists yet, an <c>admin</c> account with this password is created: the first admin of a real installation.</summary>
    public string? BootstrapAdminPassword { get; set; }

    /// <summary>Failed sign-ins on one account, counted only once they come from <see cref="AddressesToLockAccount"/> addresses or more, that lock it.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    public int AddressesToLockAccount { get; set; } = 3;

    /// <summary>Failures on one name from one address after which that address waits before trying the name again.</summary>
    public int FailedSignInsPerAddressAndName { get; set; } = 5;

    /// <summary>Failures on any names from one address after which it waits; a hall behind one NAT address shares them.</summary>
    public int FailedSignInsPerAddress { get; set; } = 20;

    /// <summary>How long failures are remembered, from the first one.</summary>
    public TimeSpan SignInFailureWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The first wait once a limit is reached; each further failure doubles it, up to <see cref="MaxSignInBackOff"/>.</summary>
    public TimeSpan SignInBackOff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxSignInBackOff { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan BearerTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan CookieLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>
    /// How long a node keeps its answer to "is this session still valid" (<see cref="SessionValidity"/>), and how often an
    /// open page (Blazor circuit) asks again: the bound within which a sign-out, password or role change, disabling or
    /// lock-out made on another node ends a session here. Changes made on a node take effect there at once.
    /// </summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
