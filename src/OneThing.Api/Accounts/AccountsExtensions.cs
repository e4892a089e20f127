using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using OneThing.Processing.Accounts;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Accounts;

public static class AccountsExtensions
{
    /// <summary>Picks the bearer scheme when the request carries a bearer token, the cookie otherwise.</summary>
    public const string BearerOrCookieScheme = "BearerOrCookie";

    /// <summary>Part of every protected payload's purpose: nodes must agree on it, whatever folder they run from.</summary>
    public const string DataProtectionApplicationName = "OneThing";

    public static WebApplicationBuilder AddOneThingAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<AccountOptions>(builder.Configuration.GetSection(AccountOptions.Section));
        if (builder.Environment.IsDevelopment() && builder.Configuration[$"{AccountOptions.Section}:SeedDemoAccounts"] is null)
        {
            services.PostConfigure<AccountOptions>(o => o.SeedDemoAccounts = true);
        }

        var settings = builder.Configuration.GetSection(AccountOptions.Section).Get<AccountOptions>() ?? new AccountOptions();
        if (settings.SeedDemoAccounts && !AccountOptions.DemoAccountsAllowedIn(builder.Environment))
        {
            // Demo accounts share a password printed in the README: in a real installation they are a way in for anyone.
            throw new InvalidOperationException(
                $"{AccountOptions.Section}:{nameof(AccountOptions.SeedDemoAccounts)}=true is refused in the '{builder.Environment.EnvironmentName}' " +
                $"environment: demo accounts exist only in {string.Join(" and ", AccountOptions.DemoEnvironments)} (ASPNETCORE_ENVIRONMENT). " +
                "Unset it, or run with ASPNETCORE_ENVIRONMENT=Development to try the walkthrough.");
        }


        // Bearer tokens and cookies are sealed with this key ring: kept in PostgreSQL, one node opens what another sealed.
        // Registered before the data-protection services, whose own start-up loads the key ring and would make a key
        // of its own on a new database before this one, under its lock, could find the first node's.
        services.AddHostedService<SharedKeyRingStartup>();
        services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<OneThingDbContext>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = BearerOrCookieScheme;
                options.DefaultChallengeScheme = BearerOrCookieScheme;
            })
            .AddPolicyScheme(BearerOrCookieScheme, "Bearer token or cookie", policy => policy.ForwardDefaultSelector = http =>
                CarriesBearerToken(http.Request) ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, bearer =>
            {
                bearer.BearerTokenExpiration = settings.BearerTokenLifetime;
                bearer.RefreshTokenExpiration = TimeSpan.FromDays(1);
            })
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(cookie =>
            {
                cookie.Cookie.Name = "onething.session";
                cookie.Cookie.HttpOnly = true;
                // The API takes JSON, which a cross-site form cannot send, and the cookie never travels cross-site.
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.ExpireTimeSpan = settings.CookieLifetime;
                cookie.SlidingExpiration = true;
                // An API answers 401 / 403 instead of redirecting to a login page.
                cookie.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
                // Instead of Identity's stamp check every 30 minutes: every request, answered from memory (SessionValidity).
                cookie.Events.OnValidatePrincipal = SessionRevocation.ValidateCookieAsync;
            }));

        services.AddIdentityCore<StaffAccount>(identity =>
            {
                identity.Lockout.AllowedForNewUsers = true;
                identity.Lockout.MaxFailedAccessAttempts = settings.MaxFailedSignIns;
                identity.Lockout.DefaultLockoutTimeSpan = settings.LockoutDuration;
                identity.Password.RequiredLength = 10;
                identity.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<OneThingDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>();

        services.AddAuthorizationBuilder()
            // Deny by default: an endpoint that says nothing needs a signed-in account; anonymous ones say so.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddRolePolicies();

        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<DecoyPasswordHash>();
        services.AddScoped<SignInGuard>();
        services.AddSingleton<SessionValidity>();
        services.AddScoped<RefreshTokenFamilies>();
        services.AddScoped<AccountChanges>();
        services.AddScoped<AccountAdministration>();
        services.AddHostedService<SignInFailurePurge>();
        services.AddHostedService<DemoAccountSeeder>();
        return builder;
    }

    public static bool CarriesBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static AuthorizationBuilder AddRolePolicies(this AuthorizationBuilder authorization)
    {
        foreach (var (policy, roles) in Policies.RolesByPolicy)
        {
            authorization.AddPolicy(policy, p => p.RequireRole(roles));
        }

        authorization.AddPolicy(Policies.ManageElderRegister, p => p.RequireAssertion(context =>
            context.User.IsInRole(Roles.Admin) || context.User.Department() == Policies.CivilAffairs));

        return authorization;
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
