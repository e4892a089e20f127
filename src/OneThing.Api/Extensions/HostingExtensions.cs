using Microsoft.AspNetCore.Http.Json;
using OneThing.Api.Accounts;
using OneThing.Api.Attachments;
using OneThing.Api.Audit;
using OneThing.Api.Elders;
using OneThing.Api.Cases;
using OneThing.Api.Deadlines;
using OneThing.Api.Places;
using OneThing.Api.Public;
using OneThing.Api.DepartmentTasks;
using OneThing.Api.Incidents;
using OneThing.Api.Supervision;
using OneThing.Api.Workflows;
using OneThing.Processing;
using OneThing.Processing.Hosting;
using OneThing.Telemetry;

namespace OneThing.Api.Extensions;

public static class HostingExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddOneThingApi(this WebApplicationBuilder builder)
    {
        builder.ListenByDefaultOn(DefaultUrl);
        builder.AddOneThingTelemetry("onething-api");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.Configure<JsonOptions>(json =>
        {
            OneThingJson.Configure(json.SerializerOptions);
            json.SerializerOptions.Converters.Add(new NulRefusingStringConverter());
        });
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        builder.AddOneThingOpenApi();
        builder.AddOneThingAccounts();
        builder.AddPublicRateLimit();
        builder.AddOneThingForwardedHeaders();
        builder.AddOneThingHealthChecks(usesBroker: HostingRoles.Read(builder.Configuration) == HostingRole.All);
        // The reads the endpoints and the pages share, each with its services in its constructor.
        builder.Services.AddScoped<CaseQueries>();
        builder.Services.AddScoped<InboxQueries>();
        builder.Services.AddScoped<IncidentQueries>();
        builder.Services.AddScoped<PublicCaseQueries>();
        builder.Services.AddScoped<SupervisionQueries>();
        return builder;
    }

    public static WebApplication UseOneThingApi(this WebApplication app)
    {
        app.UseOneThingForwardedHeaders();
        app.UseOneThingRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseMiddleware<NulCharacterGuard>();
        app.UseOneThingSwaggerUi();
        // Explicit, so that errors and refusals of these steps go through the problem handlers above.
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseSessionRevocation();
        app.UseCookieAntiforgery();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapOneThingEndpoints(this WebApplication app)
    {
        app.MapOneThingOpenApi();
        app.MapOneThingHealth();
        app.MapOneThingMetrics();
        app.MapAuthEndpoints();
        app.MapAccountAdminEndpoints();
        app.MapAuditEndpoints();
        app.MapPublicCaseEndpoints();
        app.MapCaseEndpoints();
        app.MapAttachmentEndpoints();
        app.MapDepartmentTaskEndpoints();
        app.MapWorkflowEndpoints();
        app.MapPlaceEndpoints();
        app.MapMigrationEndpoints();
        app.MapSupervisionEndpoints();
        app.MapExtensionEndpoints();
        app.MapJoinedDepartmentEndpoints();
        app.MapIncidentEndpoints();
        app.MapElderRegisterEndpoints();
        return app;
    }
}
