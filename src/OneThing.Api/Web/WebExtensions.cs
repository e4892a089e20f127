using System.Globalization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Localization;
using OneThing.Api.Web.Accounts;
using OneThing.Api.Web.Shared;
using Radzen;

namespace OneThing.Api.Web;

/// <summary>The web UI: Blazor with interactive server rendering and Radzen components, served at "/" beside the API.</summary>
public static class WebExtensions
{
    public static WebApplicationBuilder AddOneThingWeb(this WebApplicationBuilder builder)
    {
        // Serves Radzen's files from the NuGet cache when run from a build rather than a publish, in every environment
        // (not only Development): `dotnet run` and the tests run that way. A published app has them under wwwroot.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddSingleton<ILocalizer, RadzenChinese>();
        builder.Services.AddCascadingAuthenticationState();
        // After the interactive services, whose plain provider it replaces: an open page notices a revoked session too.
        builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingStaffAuthenticationState>();
        builder.Services.Configure<WebOptions>(builder.Configuration.GetSection(WebOptions.Section));
        builder.Services.AddSingleton<ScopedWork>();
        builder.Services.AddScoped<Cases.CaseLoader>();
        builder.Services.AddScoped<CurrentUser>();
        return builder;
    }

    public static WebApplication UseOneThingWeb(this WebApplication app)
    {
        // Chinese unless the user picked English with the switch: the browser's language is deliberately not consulted,
        // the service hall's machines are set up in all sorts of ways.
        var options = new RequestLocalizationOptions { DefaultRequestCulture = new RequestCulture(Lang.Chinese) };
        options.SupportedCultures = options.SupportedUICultures = [new CultureInfo(Lang.Chinese), new CultureInfo(Lang.English)];
        options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        app.UseRequestLocalization(options);
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapOneThingWeb(this WebApplication app)
    {
        // Pages check their own [Authorize] roles (AuthorizeRouteView) and send strangers to the sign-in page; at the
        // endpoint level they, their files and the language switch are open, or the API's deny-by-default would answer 401.
        app.MapStaticAssets().AllowAnonymous();
        app.MapGet("/language/{culture}", ChooseLanguage).AllowAnonymous().ExcludeFromDescription();
        app.MapWebSignIn();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().AllowAnonymous();
        return app;
    }

    private static IResult ChooseLanguage(string culture, string? returnUrl, HttpContext context)
    {
        var chosen = culture == Lang.English ? Lang.English : Lang.Chinese;
        context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
        return Results.LocalRedirect(SignInEndpoints.LocalOrNull(returnUrl) ?? "/");
    }
}
