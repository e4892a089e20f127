using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Api.Extensions;

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

    private static async Task<Ok<List<AccountResponse>>> ListAsync(AccountAdministration accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListAsync(cancellationToken));

    private static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateAccountRequest? request, AccountAdministration accounts, HttpContext http, CancellationToken cancellationToken) =>
        await accounts.CreateAsync(request, http.AuditActor(), cancellationToken) switch
        {
            AccountCreated created => TypedResults.Created($"/api/accounts/{created.Account.UserName}", created.Account),
            AccountChangeResult.Invalid invalid => TypedResults.ValidationProblem(invalid.Errors, title: "The account request has errors"),
            AccountChangeResult.Conflict taken => Problems.Conflict(taken.Detail),
            var unexpected => throw new InvalidOperationException($"Creating an account does not answer {unexpected.GetType().Name}"),
        };

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> UnlockAsync(
        string userName, AccountAdministration accounts, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await accounts.UnlockAsync(userName, http.AuditActor(), cancellationToken), userName);

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
