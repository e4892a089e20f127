using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using OneThing.Api.Web.Shared;
using Microsoft.Extensions.Options;

namespace OneThing.Api.Accounts;

public sealed record AntiforgeryTokenResponse(string HeaderName, string Token);

/// <summary>
/// The session cookie is sent by the browser on its own, so a request it authenticates proves nothing about who wrote
/// it. SameSite=Strict keeps other sites out but not a sibling subdomain (same site, other origin); an antiforgery
/// token, which only pages of this origin can read, does. A bearer token is sent only by code that holds it: no check.
/// The Blazor hub (<c>/_blazor</c>) runs under the cookie too, over a WebSocket the token cannot ride on, so there the
/// browser's Origin header is checked instead.
/// </summary>
internal static class CookieAntiforgery
{
    public const string BlazorHubPath = "/_blazor";

    public static WebApplication UseCookieAntiforgery(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (IsBlazorHub(http.Request) && !IsOwnOrigin(http))
            {
                await Refuse(http, "Requests to the web UI from another origin are refused. 拒绝来自其他来源的请求。");
                return;
            }

            if (NeedsToken(http) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                await Refuse(http, "A request signed in with the session cookie that changes something needs the antiforgery token "
                    + "(GET /api/auth/antiforgery, sent back in its header); API clients use a bearer token instead. 缺少防跨站请求令牌。");
                return;
            }

            await next(http);
        });
        return app;
    }

    public static RouteGroupBuilder MapAntiforgeryToken(this RouteGroupBuilder auth)
    {
        auth.MapGet("/antiforgery", IssueToken).WithName("AntiforgeryToken")
            .WithSummary("The antiforgery token that cookie-authenticated calls which change something send in the named header");
        return auth;
    }

    private static Ok<AntiforgeryTokenResponse> IssueToken(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return TypedResults.Ok(new AntiforgeryTokenResponse(tokens.HeaderName!, tokens.RequestToken!));
    }

    private static bool NeedsToken(HttpContext http) =>
        !IsSafe(http.Request.Method) && !IsBlazorHub(http.Request)
        && http.User.Identity?.IsAuthenticated == true && !AccountsExtensions.CarriesBearerToken(http.Request);

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private static bool IsBlazorHub(HttpRequest request) => request.Path.StartsWithSegments(BlazorHubPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The host is compared, not the scheme: behind a proxy that ends TLS without forwarding the scheme the page is
    /// https and the request http. Browsers always send Origin on WebSocket handshakes and script POSTs; without one
    /// the caller is no browser, so no other site's page.
    /// </summary>
    private static bool IsOwnOrigin(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        var allowed = http.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value.AllowedOrigins;
        return (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
            || allowed.Any(a => string.Equals(a.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task Refuse(HttpContext http, string detail) =>
        await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail).ExecuteAsync(http);
}
