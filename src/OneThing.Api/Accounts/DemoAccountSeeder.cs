using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Accounts;

/// <summary>
/// Creates the demo accounts (where seeding is on) and the bootstrap admin (where a password for it is configured);
/// outside the demo environments, disables demo accounts a database still holds. Reviewers come from the departments
/// of the loaded workflows, so a new workflow brings its reviewers with it. Runs after the database start-up, which
/// registers the workflows.
/// </summary>
internal sealed partial class DemoAccountSeeder(
    IServiceScopeFactory scopes,
    WorkflowRegistry workflows,
    IOptions<AccountOptions> options,
    IHostEnvironment environment,
    ILogger<DemoAccountSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var demoAllowed = AccountOptions.DemoAccountsAllowedIn(environment);
        if (!settings.SeedDemoAccounts && string.IsNullOrEmpty(settings.BootstrapAdminPassword) && demoAllowed)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffAccount>>();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        // Two hosts starting on one database would otherwise both try to create the same accounts.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLockKey})", cancellationToken);
        if (settings.SeedDemoAccounts)
        {
            await SeedDemoAccountsAsync(users, db, settings.DemoPassword, cancellationToken);
        }

        if (!demoAllowed)
        {
            await DisableLeftoverDemoAccountsAsync(users, db, scope.ServiceProvider.GetRequiredService<AuditTrail>(), settings.DemoPassword, cancellationToken);
        }

        if (!string.IsNullOrEmpty(settings.BootstrapAdminPassword) && (await users.GetUsersInRoleAsync(Roles.Admin)).Count == 0)
        {
            var result = await users.CreateAsync(new StaffAccount { UserName = "admin" }, settings.BootstrapAdminPassword);
            Ensure(result, "admin");
            Ensure(await users.AddToRoleAsync((await users.FindByNameAsync("admin"))!, Roles.Admin), "admin");
            logger.LogWarning("Created the bootstrap admin account 'admin'; change its password and unset Accounts:BootstrapAdminPassword");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The service hall of the demo clerk, so hall colleagues can be tried by creating another clerk there.</summary>
    public const string DemoHall = "demo-hall";

    private const long SeedLockKey = 0x4F6E654163636F75; // "OneAccou"

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public IReadOnlyList<(string UserName, string Role, string? Department)> DemoAccounts() =>
    [
        ("clerk", Roles.Clerk, null),
        ("supervisor", Roles.Supervisor, null),
        ("admin", Roles.Admin, null),
        ("reporter", Roles.Reporter, null),
        .. workflows.Latest
            .SelectMany(w => w.Definition.Steps)
            // A step routed by place has an inbox per unit of its role, a triage one per department it may choose; each gets a demo reviewer.
            .SelectMany(s => s.Place is { } place
                ? workflows.Departments.Territory.All.Where(unit => unit.Role == place.Role).Select(unit => (string?)unit.Code)
                : [s.Department, .. s.ChooseFrom])
            .OfType<string>()
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(department => ($"reviewer.{department}", Roles.Reviewer, (string?)department)),
    ];

    private async Task SeedDemoAccountsAsync(UserManager<StaffAccount> users, OneThingDbContext db, string password, CancellationToken cancellationToken)
    {
        var existing = (await users.Users.Select(u => u.NormalizedUserName).ToListAsync(cancellationToken)).ToHashSet();
        var missing = DemoAccounts().Where(a => !existing.Contains(users.NormalizeName(a.UserName))).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        // One hash for every demo account: they share the password, and hashing is deliberately slow. The rows go in
        // directly, in one round trip, since the names are known to be valid and free; every test host seeds them.
        var hash = users.PasswordHasher.HashPassword(new StaffAccount(), password);
        foreach (var (userName, role, department) in missing)
        {
            var account = new StaffAccount
            {
                UserName = userName,
                NormalizedUserName = users.NormalizeName(userName),
                Department = department,
                Hall = role == Roles.Clerk ? DemoHall : null,
                PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                LockoutEnabled = true,
            };
            db.Users.Add(account);
            // Role ids are the role names (0030_identity.sql).
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = account.Id, RoleId = role });
        }

        await db.SaveChangesAsync(cancellationToken);

        logger.LogInformation("Seeded {Count} demo accounts", missing.Count);
    }

    /// <summary>
    /// A database that was once used for a demo (or copied from one) still holds accounts whose password is in the
    /// README. An account counts as a demo account only while it has a demo name and still the demo password, so a real
    /// admin called <c>admin</c> keeps working. Disabled, not deleted: the audit log and case history refer to them.
    /// </summary>
    private async Task DisableLeftoverDemoAccountsAsync(UserManager<StaffAccount> users, OneThingDbContext db, AuditTrail audit, string password,
        CancellationToken cancellationToken)
    {
        var demoNames = DemoAccounts().Select(a => users.NormalizeName(a.UserName)).ToList();
        var candidates = await db.Users
            .Where(u => demoNames.Contains(u.NormalizedUserName!) && u.PasswordHash != null && u.DisabledAt == null)
            .ToListAsync(cancellationToken);
        // Seeded accounts share one hash, and checking a hash is deliberately slow: each distinct one is checked once.
        var demoHashes = candidates.Select(u => u.PasswordHash!).Distinct()
            .Where(hash => users.PasswordHasher.VerifyHashedPassword(new StaffAccount(), hash, password) != PasswordVerificationResult.Failed)
            .ToHashSet();
        var demo = candidates.Where(u => demoHashes.Contains(u.PasswordHash!)).ToList();
        if (demo.Count == 0)
        {
            return;
        }

        foreach (var account in demo)
        {
            account.DisabledAt = DateTimeOffset.UtcNow;
            // Ends the sessions and refresh tokens these accounts still have.
            account.SecurityStamp = Guid.NewGuid().ToString("N");
            audit.Add(new AuditActor(null, "system", null), AuditActions.DemoAccountDisabled, AuditTargets.Account, account.UserName,
                $"demo account with the published password, in the '{environment.EnvironmentName}' environment");
        }

        await db.SaveChangesAsync(cancellationToken);
        LogDemoAccountsDisabled(demo.Count, string.Join(", ", demo.Select(a => a.UserName)), environment.EnvironmentName);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Disabled {Count} demo accounts that still had the published demo password ({UserNames}): demo accounts exist only in Development and Testing, not in '{Environment}'. Create real accounts (POST /api/accounts)")]
    private partial void LogDemoAccountsDisabled(int count, string userNames, string environment);

    private static void Ensure(IdentityResult result, string userName)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create account '{userName}': {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}
