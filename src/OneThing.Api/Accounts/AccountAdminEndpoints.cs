using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OneThing.Api.Extensions;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Api.Accounts;

/// <param name="Hall">A clerk's service hall; clerks of one hall may supplement and withdraw each other's cases.</param>
public sealed record CreateAccountRequest(string? UserName, string? Password, string? Role, string? Department, string? Hall = null);

public sealed record AccountResponse(string UserName, string? Role, string? Department, DateTimeOffset? LockedOutUntil)
{
    public string? Hall { get; init; }

    /// <summary>When an admin disabled the account; null while it may sign in.</summary>
    public DateTimeOffset? DisabledAt { get; init; }
}

public sealed record ResetPasswordRequest(string? NewPassword);

/// <param name="Hall">Only for clerks; a clerk given none leaves any hall they had.</param>
public sealed record ChangeRoleRequest(string? Role, string? Department, string? Hall = null);

/// <summary>
/// Admins create staff accounts, bind reviewers to their department, unlock locked accounts, and reset passwords,
/// disable, enable and change the role of accounts: those end the account's sessions (<see cref="AccountChanges"/>).
/// </summary>
public static class AccountAdminEndpoints
{
    public static IEndpointRouteBuilder MapAccountAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/api/accounts").WithTags("Accounts").RequireAuthorization(Policies.ManageAccounts);
        accounts.MapGet("/", ListAsync).WithName("ListAccounts").WithSummary("Every staff account with its role and department");
        accounts.MapPost("/", CreateAsync).WithName("CreateAccount").WithSummary("Create a staff account; a reviewer needs a department");
        accounts.MapPost("/{userName}/unlock", UnlockAsync).WithName("UnlockAccount").WithSummary("Lift a lock-out after failed sign-ins");
        accounts.MapPost("/{userName}/password", ResetPasswordAsync).WithName("ResetPassword")
            .WithSummary("Set a new password for an account; its sessions and tokens end");
        accounts.MapPost("/{userName}/disable", DisableAsync).WithName("DisableAccount")
            .WithSummary("Disable an account: it cannot sign in and its sessions and tokens end; not one's own");
        accounts.MapPost("/{userName}/enable", EnableAsync).WithName("EnableAccount").WithSummary("Let a disabled account sign in again");
        accounts.MapPut("/{userName}/role", ChangeRoleAsync).WithName("ChangeAccountRole")
            .WithSummary("Change an account's role, department and hall (the rules of creating one); its sessions and tokens end");
        return routes;
    }

    private static async Task<Ok<List<AccountResponse>>> ListAsync(OneThingDbContext db, CancellationToken cancellationToken)
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
        return TypedResults.Ok(rows.Select(r => new AccountResponse(r.UserName!, r.Role, r.Department, r.LockoutEnd) { Hall = r.Hall, DisabledAt = r.DisabledAt }).ToList());
    }

    private static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateAccountRequest? request,
        UserManager<StaffAccount> users,
        WorkflowRegistry workflows,
        AuditTrail audit,
        HttpContext http,
        CancellationToken cancellationToken)
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
            return TypedResults.ValidationProblem(errors, title: "The account request has errors");
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
                return Problems.Conflict($"There is already an account '{account.UserName}'.");
            }

            return TypedResults.ValidationProblem(
                created.Errors.GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "userName")
                    .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()),
                title: "The account request has errors");
        }

        await users.AddToRoleAsync(account, request.Role!);
        await audit.RecordAsync(http.AuditActor(), AuditActions.AccountCreated, AuditTargets.Account, account.UserName,
            AccountChanges.Describe(request.Role!, account.Department, account.Hall),
            cancellationToken);
        return TypedResults.Created($"/api/accounts/{account.UserName}",
            new AccountResponse(account.UserName, request.Role, account.Department, null) { Hall = account.Hall });
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UnlockAsync(
        string userName, UserManager<StaffAccount> users, SignInThrottle throttle, AuditTrail audit, HttpContext http,
        CancellationToken cancellationToken)
    {
        if (await users.FindByNameAsync(userName) is not { } account)
        {
            return Problems.NotFound($"There is no account '{userName}'.");
        }

        await users.SetLockoutEndDateAsync(account, null);
        await users.ResetAccessFailedCountAsync(account);
        await throttle.ForgetAccountAsync(SignInThrottle.AccountKey(account.NormalizedUserName!), cancellationToken);
        await audit.RecordAsync(http.AuditActor(), AuditActions.AccountUnlocked, AuditTargets.Account, account.UserName, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResetPasswordAsync(
        string userName, ResetPasswordRequest? request, AccountChanges accounts, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await accounts.ResetPasswordAsync(userName, request?.NewPassword, http.AuditActor(), cancellationToken), userName);

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DisableAsync(
        string userName, AccountChanges accounts, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await accounts.DisableAsync(userName, http.AuditActor(), cancellationToken), userName);

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> EnableAsync(
        string userName, AccountChanges accounts, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await accounts.EnableAsync(userName, http.AuditActor(), cancellationToken), userName);

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangeRoleAsync(
        string userName, ChangeRoleRequest? request, AccountChanges accounts, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await accounts.ChangeRoleAsync(userName, request?.Role, request?.Department, request?.Hall, http.AuditActor(), cancellationToken), userName);

    internal static Results<NoContent, ValidationProblem, ProblemHttpResult> Answer(AccountChangeResult outcome, string userName) => outcome switch
    {
        AccountChangeResult.Done => TypedResults.NoContent(),
        AccountChangeResult.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The account request has errors"),
        AccountChangeResult.Conflict conflict => Problems.Conflict(conflict.Detail),
        AccountChangeResult.Throttled => TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed attempts",
            detail: "Too many wrong passwords from this address; wait and try again. 密码错误次数过多，请稍后再试。"),
        _ => Problems.NotFound($"There is no account '{userName}'. 账户不存在。"),
    };
}
