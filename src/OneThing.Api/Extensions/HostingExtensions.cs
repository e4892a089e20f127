using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using OneThing.Api.Accounts;
using OneThing.Api.Audit;
using OneThing.Api.Cases;
using OneThing.Api.Public;
using OneThing.Api.DepartmentTasks;
using OneThing.Api.Incidents;
using OneThing.Api.Supervision;
using OneThing.Api.Workflows;
using OneThing.Processing;
using OneThing.Processing.Persistence;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace OneThing.Api.Extensions;

public static class HostingExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddOneThingLogging(this WebApplicationBuilder builder)
    {
        var configuration = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext();
        if (builder.Configuration["Logging:MinimumLevel"] is { } minimumLevel)
        {
            configuration = configuration.MinimumLevel.Is(Enum.Parse<LogEventLevel>(minimumLevel, ignoreCase: true));
        }

        configuration = builder.Configuration.GetValue<bool>("Logging:Json")
            ? configuration.WriteTo.Console(new JsonFormatter(renderMessage: true))
            : configuration.WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}");
        if (builder.Configuration["Logging:File"] is { Length: > 0 } logFile)
        {
            configuration = configuration.WriteTo.File(new JsonFormatter(renderMessage: true), logFile);
        }

        builder.Logging.ClearProviders().AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }

    public static WebApplicationBuilder AddOneThingApi(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.Configure<JsonOptions>(json => OneThingJson.Configure(json.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.AddOneThingAccounts();
        builder.AddPublicRateLimit();
        builder.AddOneThingForwardedHeaders();
        builder.Services.AddHealthChecks().AddDbContextCheck<OneThingDbContext>("database", tags: ["ready"]);
        return builder;
    }

    public static WebApplication UseOneThingApi(this WebApplication app)
    {
        app.UseOneThingForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseMiddleware<RequestLogging>();
        app.UseSwaggerUI(swagger =>
        {
            swagger.SwaggerEndpoint("/openapi/v1.json", "OneThing API v1");
            swagger.RoutePrefix = "swagger";
        });
        // Explicit, so that errors and refusals of these steps go through the problem handlers above.
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapOneThingEndpoints(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapAuthEndpoints();
        app.MapAccountAdminEndpoints();
        app.MapAuditEndpoints();
        app.MapPublicCaseEndpoints();
        app.MapCaseEndpoints();
        app.MapDepartmentTaskEndpoints();
        app.MapWorkflowEndpoints();
        app.MapSupervisionEndpoints();
        app.MapIncidentEndpoints();
        return app;
    }
}
