using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace OneThing.Api.Extensions;

/// <summary>
/// The OpenAPI document, Swagger UI and the Scalar API reference (at /scalar, from the same document): on in Development and Testing, off elsewhere unless <c>Api:OpenApi</c> is true,
/// because a production API should not hand out its own map. The document says how to sign in (bearer token or the
/// sign-in cookie) and which operations need it.
/// </summary>
public static class OpenApiSetup
{
    public const string EnabledSetting = "Api:OpenApi";
    public const string BearerScheme = "Bearer";
    public const string CookieScheme = "Cookie";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ScalarPath = "/scalar";

    public static bool IsEnabled(WebApplicationBuilder builder) => IsEnabled(builder.Configuration, builder.Environment);

    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>(EnabledSetting) ?? (environment.IsDevelopment() || environment.IsEnvironment("Testing"));

    public static WebApplicationBuilder AddOneThingOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        Description = "The accessToken from POST /api/auth/login, sent as Authorization: Bearer <token>.",
                    },
                    [CookieScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Cookie,
                        Name = ".AspNetCore.Identity.Application",
                        Description = "The sign-in cookie from POST /api/auth/login?useCookies=true or the web sign-in.",
                    },
                };
                foreach (var server in document.Servers ?? [])
                {
                    server.Url = server.Url is { Length: > 1 } url ? url.TrimEnd('/') : server.Url;
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                // Anonymous wins over any authorization a group adds, as it does in the authorization middleware.
                var anonymous = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any();
                operation.Security = anonymous
                    ? []
                    :
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, context.Document)] = [] },
                    ];
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication UseOneThingSwaggerUi(this WebApplication app)
    {
        if (IsEnabled(app.Configuration, app.Environment))
        {
            app.UseSwaggerUI(swagger =>
            {
                swagger.SwaggerEndpoint(DocumentPath, "OneThing API v1");
                swagger.RoutePrefix = "swagger";
            });
        }

        return app;
    }

    public static WebApplication MapOneThingOpenApi(this WebApplication app)
    {
        if (IsEnabled(app.Configuration, app.Environment))
        {
            app.MapOpenApi().AllowAnonymous();
            // Government networks often reach no internet: the page uses the script the package serves and the browser's
            // own fonts, and sends no telemetry.
            app.MapScalarApiReference(ScalarPath, scalar => scalar
                    .WithTitle("OneThing API · 一件事联办平台")
                    .WithOpenApiRoutePattern(DocumentPath)
                    .DisableDefaultFonts()
                    .DisableTelemetry())
                .AllowAnonymous().ExcludeFromDescription();
        }

        return app;
    }
}
