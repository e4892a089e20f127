using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Accounts;

/// <summary>A new account, as GET /api/accounts lists it.</summary>
internal sealed record AccountCreated(AccountResponse Account) : AccountChangeResult;

/// <summary>
/// What an admin does to accounts without ending their sessions: list them, create one, lift a lock-out. Used by
/// /api/accounts and the account administration page alike; the changes that end sessions are <see cref="AccountChanges"/>.
/// </summary>
internal sealed class AccountAdministration(
    UserManager<StaffAccount> users,
    OneThingDbContext db,
    AuditTrail audit,
    SignInThrottle throttle,
    WorkflowRegistry workflows)
{
    /// <summary>Compared with the wall clock, as Identity's own lock-out check is, not the business clock deadlines follow.</summary>
    public static bool IsLockedOut(AccountResponse account) => account.LockedOutUntil > TimeProvider.System.GetUtcNow();

    public async Task<List<AccountResponse>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Users.AsNoTracking()
            .OrderBy(u => u.UserName)
            .Select(u => new
            {
                u.UserName,
                u.Department,
                u.Hall,
                u.LockoutEnd,
                u.DisabledAt,
                Role = db.UserRoles.Where(r => r.UserId == u.Id).Select(r => r.RoleId).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new AccountResponse(r.UserName!, r.Role, r.Department, r.LockoutEnd) { Hall = r.Hall, DisabledAt = r.DisabledAt }).ToList();
    }

    /// <returns><see cref="AccountCreated"/>, or Invalid, or Conflict when the user name is taken.</returns>
    public async Task<AccountChangeResult> CreateAsync(CreateAccountRequest? request, AuditActor admin, CancellationToken cancellationToken)
    {
        var errors = AccountChanges.RoleErrors(workflows, request?.Role, request?.Department, request?.Hall);
        if (string.IsNullOrWhiteSpace(request?.UserName) || request.UserName.Length > 100)
        {
            errors["userName"] = ["userName is required (at most 100 characters). 请填写用户名。"];
        }

        if (string.IsNullOrEmpty(request?.Password) || request.Password.Length > 256)
        {
            errors["password"] = ["password is required. 请设置密码。"];
        }

        if (errors.Count > 0)
        {
            return new AccountChangeResult.Invalid(errors);
        }

        var account = new StaffAccount
        {
            UserName = request!.UserName!.Trim(),
            Department = request.Role == Roles.Reviewer ? request.Department : null,
            Hall = request.Hall?.Trim(),
        };
        var created = await users.CreateAsync(account, request.Password!);
        if (!created.Succeeded)
        {
            if (created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
            {
                return new AccountChangeResult.Conflict($"There is already an account '{account.UserName}'. 该用户名已被使用。");
            }

            return new AccountChangeResult.Invalid(
                created.Errors.GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "userName")
                    .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }

        await users.AddToRoleAsync(account, request.Role!);
        await audit.RecordAsync(admin, AuditActions.AccountCreated, AuditTargets.Account, account.UserName,
            AccountChanges.Describe(request.Role!, account.Department, account.Hall), cancellationToken);
        return new AccountCreated(new AccountResponse(account.UserName, request.Role, account.Department, null) { Hall = account.Hall });
    }

    public async Task<AccountChangeResult> UnlockAsync(string userName, AuditActor admin, CancellationToken cancellationToken)
    {
        if (await users.FindByNameAsync(userName) is not { } account)
        {
            return new AccountChangeResult.NoSuchAccount();
        }

        await users.SetLockoutEndDateAsync(account, null);
        await users.ResetAccessFailedCountAsync(account);
        await throttle.ForgetAccountAsync(SignInThrottle.AccountKey(account.NormalizedUserName!), cancellationToken);
        await audit.RecordAsync(admin, AuditActions.AccountUnlocked, AuditTargets.Account, account.UserName, cancellationToken: cancellationToken);
        return new AccountChangeResult.Done();
    }
}
