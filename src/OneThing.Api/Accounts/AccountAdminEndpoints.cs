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
}

/// <summary>Admins create staff accounts, bind reviewers to their department and unlock locked accounts.</summary>
public static class AccountAdminEndpoints
{
    public static IEndpointRouteBuilder MapAccountAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var accounts = routes.MapGroup("/api/accounts").WithTags("Accounts").RequireAuthorization(Policies.ManageAccounts);
        accounts.MapGet("/", ListAsync).WithName("ListAccounts").WithSummary("Every staff account with its role and department");
        accounts.MapPost("/", CreateAsync).WithName("CreateAccount").WithSummary("Create a staff account; a reviewer needs a department");
        accounts.MapPost("/{userName}/unlock", UnlockAsync).WithName("UnlockAccount").WithSummary("Lift a lock-out after failed sign-ins");
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
                Role = db.UserRoles.Where(r => r.UserId == u.Id).Select(r => r.RoleId).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(r => new AccountResponse(r.UserName!, r.Role, r.Department, r.LockoutEnd) { Hall = r.Hall }).ToList());
    }

    private static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateAccountRequest? request,
        UserManager<StaffAccount> users,
        WorkflowRegistry workflows,
        AuditTrail audit,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request?.UserName) || request.UserName.Length > 100)
        {
            errors["userName"] = ["userName is required (at most 100 characters). 请填写用户名。"];
        }

        if (request?.Role is not { } role || !Roles.All.Contains(role))
        {
            errors["role"] = [$"role must be one of: {string.Join(", ", Roles.All)}. 角色无效。"];
        }
        else if (role == Roles.Reviewer && (request.Department is not { } department || !workflows.Departments.Contains(department)))
        {
            errors["department"] = ["A reviewer belongs to exactly one department from GET /api/departments. 审批人员须属于一个部门。"];
        }
        else if (role != Roles.Reviewer && !string.IsNullOrEmpty(request.Department))
        {
            errors["department"] = ["Only reviewers belong to a department. 只有审批人员属于部门。"];
        }

        if (request?.Hall is { } hall && (request.Role != Roles.Clerk || string.IsNullOrWhiteSpace(hall) || hall.Length > 100))
        {
            errors["hall"] = ["Only clerks work at a service hall; its name is 1 to 100 characters. 只有窗口人员属于服务大厅。"];
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
            $"{request.Role}{(account.Department is null ? "" : $" of {account.Department}")}{(account.Hall is null ? "" : $" at hall {account.Hall}")}",
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
}
