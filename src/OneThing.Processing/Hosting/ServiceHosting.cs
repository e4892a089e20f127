using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneThing.Processing.Messaging;
using OneThing.Processing.Persistence;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace OneThing.Processing.Hosting;

/// <summary>What every OneThing process has alike: logging, health endpoints, a loopback address by default.</summary>
public static class ServiceHosting
{
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddOneThingLogging(this IHostApplicationBuilder builder)
    {
        // Defaults for a process started outside its folder (no appsettings.json found); configuration overrides them.
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("MassTransit", LogEventLevel.Warning)
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

        // Through the host's services, so that request logging (UseSerilogRequestLogging) has its diagnostic context.
        builder.Logging.ClearProviders();
        var logger = configuration.CreateLogger();
        builder.Services.AddSerilog(logger, dispose: true);
        builder.Services.TryAddSingleton<Serilog.ILogger>(logger);
        return builder;
    }

    /// <summary>
    /// Ready means PostgreSQL answers and, for a process that uses the broker (a worker, or everything in one process
    /// on RabbitMQ), so does RabbitMQ. An API node never talks to the broker: while RabbitMQ is down it keeps taking
    /// cases, whose messages wait in the outbox, so its readiness does not depend on it.
    /// </summary>
    public static IHostApplicationBuilder AddOneThingHealthChecks(this IHostApplicationBuilder builder, bool usesBroker = true)
    {
        var checks = builder.Services.AddHealthChecks().AddDbContextCheck<OneThingDbContext>("database", tags: [ReadyTag]);
        if (usesBroker && RabbitMqConnection.FromConfiguration(builder.Configuration) is { } rabbitMq)
        {
            builder.Services.AddSingleton(rabbitMq);
            checks.AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: [ReadyTag]);
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapOneThingHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteStatusAndProblemsAsync,
        }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>
    /// The overall status as plain text, as before; a Degraded check (a missing holiday calendar year) adds a line
    /// saying why, and still answers 200. Failures add nothing: this endpoint is anonymous, and their exceptions are in the log.
    /// </summary>
    private static Task WriteStatusAndProblemsAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries
            .Where(entry => entry.Value.Status == HealthStatus.Degraded && entry.Value.Exception is null)
            .Select(entry => $"\n{entry.Key}: {entry.Value.Status}: {entry.Value.Description}");
        return context.Response.WriteAsync(report.Status + string.Concat(lines));
    }

    /// <summary>Listens on loopback unless told otherwise (ASPNETCORE_URLS, --urls), so nothing is exposed by accident.</summary>
    public static WebApplicationBuilder ListenByDefaultOn(this WebApplicationBuilder builder, string url)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(url);
        }

        return builder;
    }
}
