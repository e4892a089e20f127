using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Accounts;

internal abstract record AccountChangeResult
{
    public sealed record Done : AccountChangeResult;

    public sealed record NoSuchAccount : AccountChangeResult;

    public sealed record Invalid(Dictionary<string, string[]> Errors) : AccountChangeResult;

    /// <summary>
    /// An admin acting on their own account in a way that could leave the installation without an admin, or the account
    /// changed by someone else meanwhile.
    /// </summary>
    public sealed record Conflict(string Detail) : AccountChangeResult;

    public sealed record Throttled(TimeSpan RetryAfter) : AccountChangeResult;
}

/// <summary>
/// Changes to an account that end its sessions: signing out, changing one's own password, an admin's reset, disabling,
/// and a change of role, department or hall. Each replaces the security stamp in the same save as its audit row (which
/// never holds a password), and forgets the account's kept answers here (<see cref="SessionValidity"/>), so every
/// cookie, bearer token and circuit of the account ends: at once on this node, within the check interval on others.
/// </summary>
internal sealed class AccountChanges(
    UserManager<StaffAccount> users,
    OneThingDbContext db,
    AuditTrail audit,
    SessionValidity validity,
    SignInThrottle throttle,
    WorkflowRegistry workflows,
    TimeProvider clock)
{
    private static Dictionary<string, string[]> NoErrors => [];

    /// <summary>Ends every session and token of the signed-in account, not only the one signing out.</summary>
    public async Task<AccountChangeResult> SignOutEverywhereAsync(ClaimsPrincipal user, AuditActor actor)
    {
        if (await users.GetUserAsync(user) is not { } account)
        {
            return new AccountChangeResult.NoSuchAccount();
        }

        audit.Add(actor, AuditActions.SignOut, AuditTargets.Account, account.UserName, "every session and token of the account ended");
        return await EndSessionsAsync(account);
    }

    public async Task<AccountChangeResult> ChangeOwnPasswordAsync(ClaimsPrincipal user, AuditActor actor, string? currentPassword, string? newPassword,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(currentPassword) || currentPassword.Length > 256)
        {
            errors["currentPassword"] = ["currentPassword is required. 请输入当前密码。"];
        }

        if (string.IsNullOrEmpty(newPassword) || newPassword.Length > 256)
        {
            errors["newPassword"] = ["newPassword is required (at most 256 characters). 请输入新密码。"];
        }
        else if (newPassword == currentPassword)
        {
            errors["newPassword"] = ["newPassword must differ from the current password. 新密码不能与当前密码相同。"];
        }

        if (errors.Count > 0)
        {
            return new AccountChangeResult.Invalid(errors);
        }

        if (await users.GetUserAsync(user) is not { } account)
        {
            return new AccountChangeResult.NoSuchAccount();
        }

        // Whoever holds a session could otherwise try current passwords without end.
        var accountKey = SignInThrottle.AccountKey(account.NormalizedUserName!);
        var addressKey = SignInThrottle.AddressKey(actor.ClientAddress);
        var wait = await throttle.RetryAfterAsync(accountKey, addressKey, cancellationToken);
        if (wait > TimeSpan.Zero)
        {
            return new AccountChangeResult.Throttled(wait);
        }

        if (!await users.CheckPasswordAsync(account, currentPassword!))
        {
            await throttle.RecordFailureAsync(accountKey, addressKey, cancellationToken);
            await audit.RecordAsync(actor, AuditActions.PasswordChangeRefused, AuditTargets.Account, account.UserName, "wrong current password", cancellationToken);
            return new AccountChangeResult.Invalid(new() { ["currentPassword"] = ["The current password is wrong. 当前密码错误。"] });
        }

        if (await WeakPasswordAsync(account, newPassword!) is { Count: > 0 } weak)
        {
            return new AccountChangeResult.Invalid(weak);
        }

        await throttle.ForgetAsync(accountKey, addressKey, cancellationToken);
        audit.Add(actor, AuditActions.PasswordChanged, AuditTargets.Account, account.UserName, "own password; the account's other sessions ended");
        account.PasswordHash = users.PasswordHasher.HashPassword(account, newPassword!);
        return await EndSessionsAsync(account);
    }

    public Task<AccountChangeResult> ResetPasswordAsync(string userName, string? newPassword, AuditActor admin, CancellationToken cancellationToken) =>
        ChangeAsync(userName, admin, async account =>
        {
            if (string.IsNullOrEmpty(newPassword) || newPassword.Length > 256)
            {
                return new() { ["newPassword"] = ["newPassword is required (at most 256 characters). 请输入新密码。"] };
            }

            if (await WeakPasswordAsync(account, newPassword) is { Count: > 0 } weak)
            {
                return weak;
            }

            account.PasswordHash = users.PasswordHasher.HashPassword(account, newPassword);
            audit.Add(admin, AuditActions.PasswordReset, AuditTargets.Account, account.UserName, "password set by an admin; the account's sessions ended");
            return NoErrors;
        });

    public Task<AccountChangeResult> DisableAsync(string userName, AuditActor admin, CancellationToken cancellationToken) =>
        ChangeAsync(userName, admin, account =>
        {
            account.DisabledAt ??= clock.GetUtcNow();
            audit.Add(admin, AuditActions.AccountDisabled, AuditTargets.Account, account.UserName, "cannot sign in; the account's sessions ended");
            return Task.FromResult(NoErrors);
        }, ownAccountRefused: "An admin cannot disable their own account: ask another admin. 管理员不能停用自己的账户。");

    public Task<AccountChangeResult> EnableAsync(string userName, AuditActor admin, CancellationToken cancellationToken) =>
        ChangeAsync(userName, admin, account =>
        {
            account.DisabledAt = null;
            audit.Add(admin, AuditActions.AccountEnabled, AuditTargets.Account, account.UserName, "may sign in again");
            return Task.FromResult(NoErrors);
        });

    public Task<AccountChangeResult> ChangeRoleAsync(string userName, string? role, string? department, string? hall, AuditActor admin,
        CancellationToken cancellationToken) =>
        ChangeAsync(userName, admin, async account =>
        {
            var errors = RoleErrors(workflows, role, department, hall);
            if (errors.Count > 0)
            {
                return errors;
            }

            var before = await DescribeAsync(account);
            account.Department = role == Roles.Reviewer ? department : null;
            account.Hall = hall?.Trim();
            var held = await db.UserRoles.Where(r => r.UserId == account.Id).ToListAsync(cancellationToken);
            db.UserRoles.RemoveRange(held.Where(r => r.RoleId != role));
            if (held.All(r => r.RoleId != role))
            {
                // Role ids are the role names (0030_identity.sql).
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = account.Id, RoleId = role! });
            }
            audit.Add(admin, AuditActions.AccountRoleChanged, AuditTargets.Account, account.UserName,
                $"{before} → {Describe(role!, account.Department, account.Hall)}; the account's sessions ended");
            return NoErrors;
        }, ownAccountRefused: role == Roles.Admin ? null : "An admin cannot take the admin role from their own account: ask another admin. 管理员不能撤销自己的管理员角色。");

    /// <summary>The rules for a role and what goes with it, the same when an account is created and when it changes.</summary>
    public static Dictionary<string, string[]> RoleErrors(WorkflowRegistry workflows, string? role, string? department, string? hall)
    {
        var errors = new Dictionary<string, string[]>();
        if (role is null || !Roles.All.Contains(role))
        {
            errors["role"] = [$"role must be one of: {string.Join(", ", Roles.All)}. 角色无效。"];
        }
        else if (role == Roles.Reviewer && (department is null || !workflows.Departments.HasInbox(department)))
        {
            errors["department"] = ["A reviewer belongs to exactly one department from GET /api/departments or one territorial unit from GET /api/units. 审批人员须属于一个部门或一个街道、社区、网格。"];
        }
        else if (role != Roles.Reviewer && !string.IsNullOrEmpty(department))
        {
            errors["department"] = ["Only reviewers belong to a department. 只有审批人员属于部门。"];
        }

        if (hall is not null && (role != Roles.Clerk || string.IsNullOrWhiteSpace(hall) || hall.Length > 100))
        {
            errors["hall"] = ["Only clerks work at a service hall; its name is 1 to 100 characters. 只有窗口人员属于服务大厅。"];
        }

        return errors;
    }

    public static string Describe(string role, string? department, string? hall) =>
        $"{role}{(department is null ? "" : $" of {department}")}{(hall is null ? "" : $" at hall {hall}")}";

    private async Task<string> DescribeAsync(StaffAccount account) =>
        Describe((await users.GetRolesAsync(account)).FirstOrDefault() ?? "no role", account.Department, account.Hall);

    /// <summary>Finds the account, refuses what an admin may not do to their own, applies the change and ends the sessions, in one save.</summary>
    private async Task<AccountChangeResult> ChangeAsync(string userName, AuditActor admin, Func<StaffAccount, Task<Dictionary<string, string[]>>> change,
        string? ownAccountRefused = null)
    {
        if (await users.FindByNameAsync(userName) is not { } account)
        {
            return new AccountChangeResult.NoSuchAccount();
        }

        if (ownAccountRefused is not null && string.Equals(account.UserName, admin.UserName, StringComparison.Ordinal))
        {
            return new AccountChangeResult.Conflict(ownAccountRefused);
        }

        var errors = await change(account);
        if (errors.Count > 0)
        {
            return new AccountChangeResult.Invalid(errors);
        }

        return await EndSessionsAsync(account);
    }

    private async Task<Dictionary<string, string[]>> WeakPasswordAsync(StaffAccount account, string password)
    {
        var failures = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, account, password);
            failures.AddRange(result.Errors.Select(e => e.Description));
        }

        return failures.Count == 0 ? NoErrors : new() { ["newPassword"] = [.. failures, "密码强度不足。"] };
    }

    /// <summary>A new security stamp, saved with everything the unit of work holds (the change and its audit row).</summary>
    private async Task<AccountChangeResult> EndSessionsAsync(StaffAccount account)
    {
        var result = await users.UpdateSecurityStampAsync(account);
        if (!result.Succeeded)
        {
            // Identity's optimistic concurrency: another request changed the account since it was read; nothing was saved.
            return new AccountChangeResult.Conflict("The account was changed by someone else at the same moment; try again. 账户刚被他人修改，请重试。");
        }

        validity.Forget(account.Id);
        return new AccountChangeResult.Done();
    }
}
