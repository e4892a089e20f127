using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OneThing.Api.Accounts;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;

namespace OneThing.Api.Web.Accounts;

/// <summary>
/// The web UI's cookie sign-in and sign-out: plain form posts (with the antiforgery token the forms carry), the same
/// password check, lock-out and audit as POST /api/auth/login.
/// </summary>
public static class SignInEndpoints
{
    private const int MaxFieldLength = 256;

    public static IEndpointRouteBuilder MapWebSignIn(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/account/signin", SignInAsync).AllowAnonymous().ExcludeFromDescription();
        routes.MapPost("/account/signout", SignOutAsync).ExcludeFromDescription();
        return routes;
    }

    /// <summary>Where each role starts.</summary>
    public static string HomeOf(System.Security.Claims.ClaimsPrincipal user) => user.Role() switch
    {
        Roles.Clerk => "/clerk",
        Roles.Reviewer when user.Department() is { } department => $"/reviewer/{department}",
        Roles.Supervisor => "/supervisor",
        Roles.Admin => "/admin/accounts",
        _ => "/",
    };

    private static async Task<IResult> SignInAsync([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
        SignInManager<StaffAccount> signIn, SignInGuard guard, HttpContext http, CancellationToken cancellationToken)
    {
        var back = $"/signin?returnUrl={Uri.EscapeDataString(LocalOrNull(returnUrl) ?? "")}";
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password) || userName.Length > MaxFieldLength || password.Length > MaxFieldLength)
        {
            return Results.LocalRedirect($"{back}&error=missing");
        }

        var outcome = await guard.VerifyAsync(http.AuditActor(), userName.Trim(), password, "web sign-in", cancellationToken);
        switch (outcome.Refusal)
        {
            case SignInRefusal.Throttled:
                // The page says to wait; the header tells any client driving the form how long.
                http.Response.Headers.RetryAfter = AuthEndpoints.RetryAfterSeconds(outcome.RetryAfter);
                return Results.LocalRedirect($"{back}&error=throttled");
            case SignInRefusal.LockedOut:
                return Results.LocalRedirect($"{back}&error=locked");
            case SignInRefusal.Disabled:
                return Results.LocalRedirect($"{back}&error=disabled");
            case SignInRefusal.WrongPassword:
                return Results.LocalRedirect($"{back}&error=wrong");
        }

        var account = outcome.Account!;

        signIn.AuthenticationScheme = IdentityConstants.ApplicationScheme;
        await signIn.SignInAsync(account, isPersistent: false);
        var principal = await signIn.CreateUserPrincipalAsync(account);
        return Results.LocalRedirect(LocalOrNull(returnUrl) ?? HomeOf(principal));
    }

    /// <summary>Ends every session of the account, as POST /api/auth/logout does, not only this browser's.</summary>
    private static async Task<IResult> SignOutAsync(SignInManager<StaffAccount> signIn, AccountChanges accounts, HttpContext http)
    {
        await accounts.SignOutEverywhereAsync(http.User, http.AuditActor());
        await signIn.SignOutAsync();
        return Results.LocalRedirect("/signin");
    }

    /// <summary>Only addresses inside this site: a return address from a query string must not send anyone elsewhere.</summary>
    public static string? LocalOrNull(string? url) =>
        url is { Length: > 1 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : null;
}
