using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OneThing.Api.Extensions;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;

namespace OneThing.Api.Accounts;

public sealed record LoginRequest(string? UserName, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record CurrentAccount(string UserName, string Role, string? Department);

/// <summary>
/// Sign-in for API clients (a bearer token in the answer) and for the web UI (<c>?useCookies=true</c>: a cookie).
/// Failed attempts are throttled per client address and audited, and failures from several addresses lock the account (<see cref="SignInGuard"/>).
/// </summary>
public static class AuthEndpoints
{
    private const int MaxFieldLength = 256;

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/login", LoginAsync).AllowAnonymous().WithName("Login")
            .WithSummary("Sign in with user name and password: a bearer token, or a cookie with ?useCookies=true")
            .Produces<AccessTokenResponse>().ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/refresh", RefreshAsync).AllowAnonymous().WithName("RefreshToken")
            .WithSummary("New bearer and refresh tokens for the current refresh token of a sign-in; one used twice revokes that sign-in")
            .Produces<AccessTokenResponse>();
        auth.MapPost("/logout", LogoutAsync).WithName("Logout").WithSummary("Sign out: every session and token of the account ends");
        auth.MapPost("/password", ChangePasswordAsync).WithName("ChangeOwnPassword")
            .WithSummary("Change one's own password; the account's other sessions and tokens end, a cookie session is renewed")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapAntiforgeryToken();
        auth.MapGet("/me", Me).WithName("CurrentAccount").WithSummary("Who is signed in, with role and department");
        return routes;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult, ValidationProblem>> LoginAsync(
        LoginRequest? request,
        bool? useCookies,
        SignInManager<StaffAccount> signIn,
        SignInGuard guard,
        RefreshTokenFamilies families,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.UserName) || string.IsNullOrEmpty(request.Password)
            || request.UserName.Length > MaxFieldLength || request.Password.Length > MaxFieldLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["userName"] = ["userName and password are required (at most 256 characters each). 请输入用户名和密码。"],
            });
        }

        var outcome = await guard.VerifyAsync(http.AuditActor(), request.UserName.Trim(), request.Password,
            useCookies == true ? "cookie" : "bearer token", cancellationToken);
        switch (outcome.Refusal)
        {
            case SignInRefusal.Throttled:
                http.Response.Headers.RetryAfter = RetryAfterSeconds(outcome.RetryAfter);
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins", detail: TooManyFailures);
            case SignInRefusal.LockedOut:
                return Problems.Unauthorized("This account is locked after repeated failed sign-ins; try again later or ask an admin. 账户因多次登录失败已被锁定。");
            case SignInRefusal.Disabled:
                return Problems.Unauthorized(AccountDisabled);
            case SignInRefusal.WrongPassword:
                return Problems.Unauthorized("Wrong user name or password. 用户名或密码错误。");
        }

        // The bearer scheme writes the token answer itself; the cookie scheme sets the cookie.
        if (useCookies == true)
        {
            signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
            await signIn.SignInAsync(outcome.Account!, isPersistent: false);
        }
        else
        {
            await families.SignInAsync(outcome.Account!, cancellationToken);
        }

        return TypedResults.Empty;
    }

    public const string AccountDisabled = "This account is disabled; ask an admin. 账户已停用，请联系管理员。";

    public const string TooManyFailures = "Too many failed sign-ins from this address; wait and try again. 登录失败次数过多，请稍后再试。";

    /// <summary>Whole seconds, rounded up: a client that waits exactly this long is let in.</summary>
    internal static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<Results<SignInHttpResult, ProblemHttpResult, ValidationProblem>> RefreshAsync(
        RefreshRequest? request,
        RefreshTokenFamilies families,
        IOptionsMonitor<BearerTokenOptions> bearerOptions,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request?.RefreshToken) || request.RefreshToken.Length > 8192)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["refreshToken"] = ["refreshToken from the sign-in answer is required."] });
        }

        var options = bearerOptions.Get(IdentityConstants.BearerScheme);
        var ticket = options.RefreshTokenProtector.Unprotect(request.RefreshToken);
        var now = (options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (ticket?.Properties.ExpiresUtc is not { } expires || now >= expires)
        {
            return Problems.Unauthorized("The refresh token is invalid or expired; sign in again. 刷新令牌无效或已过期，请重新登录。");
        }

        var (principal, refusal) = await families.RotateAsync(ticket.Principal, http.AuditActor(), cancellationToken);
        return principal is not null
            ? TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme)
            : Problems.Unauthorized(refusal == RefreshRefusal.Reused
                ? "This refresh token was already used, so it may have been copied: the sign-in it belongs to has ended; sign in again. 刷新令牌已被使用过，本次登录已失效，请重新登录。"
                : "The refresh token is no longer valid (signed out, password or role changed, or account disabled); sign in again. 刷新令牌已失效，请重新登录。");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(HttpContext http, AccountChanges accounts)
    {
        var outcome = await accounts.SignOutEverywhereAsync(http.User, http.AuditActor());
        if (!AccountsExtensions.CarriesBearerToken(http.Request))
        {
            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        }

        return outcome is AccountChangeResult.Conflict conflict ? Problems.Conflict(conflict.Detail) : TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest? request,
        AccountChanges accounts,
        SignInManager<StaffAccount> signIn,
        HttpContext http,
        CancellationToken cancellationToken)
    {
        var outcome = await accounts.ChangeOwnPasswordAsync(http.User, http.AuditActor(), request?.CurrentPassword, request?.NewPassword, cancellationToken);
        if (outcome is AccountChangeResult.Done && !AccountsExtensions.CarriesBearerToken(http.Request)
            && await signIn.UserManager.GetUserAsync(http.User) is { } account)
        {
            // The session that changed the password goes on, with the new stamp; a bearer client signs in again.
            await signIn.RefreshSignInAsync(account);
        }

        if (outcome is AccountChangeResult.Throttled throttled)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds(throttled.RetryAfter);
        }

        return AccountAdminEndpoints.Answer(outcome, http.User.UserName() ?? "");
    }

    private static Ok<CurrentAccount> Me(HttpContext http) =>
        TypedResults.Ok(new CurrentAccount(http.User.UserName()!, http.User.Role() ?? "", http.User.Department()));
}
