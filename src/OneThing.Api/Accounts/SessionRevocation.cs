using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace OneThing.Api.Accounts;

/// <summary>
/// Where <see cref="SessionValidity"/> is asked. The cookie asks on every request it authenticates and is deleted
/// when refused. The built-in bearer handler has no such hook, so a refused bearer token is turned into no one right
/// after authentication: the endpoint answers 401 as for any caller who is not signed in.
/// </summary>
internal static class SessionRevocation
{
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var validity = context.HttpContext.RequestServices.GetRequiredService<SessionValidity>();
        if (context.Principal is null || !await validity.IsValidAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    public static WebApplication UseSessionRevocation(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.User.Identity?.IsAuthenticated == true && AccountsExtensions.CarriesBearerToken(http.Request)
                && !await http.RequestServices.GetRequiredService<SessionValidity>().IsValidAsync(http.User, http.RequestAborted))
            {
                // Setting the user also drops the authentication result, so authorization challenges (401) instead of forbidding.
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
            }

            await next(http);
        });
        return app;
    }
}
