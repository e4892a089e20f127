using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OneThing.Telemetry;

/// <summary>
/// Traces and metrics for every OneThing process (API, worker, department adapter): ASP.NET Core, HTTP clients,
/// Npgsql, the .NET runtime, MassTransit and OneThing's own sources; metrics at /metrics for Prometheus, and OTLP
/// export only when an endpoint is configured.
/// </summary>
public static class TelemetryHosting
{
    public const string MetricsPath = "/metrics";

    /// <summary>MassTransit's own ActivitySource and Meter: its send, receive and consume spans carry the trace in headers.</summary>
    private const string MassTransitSource = "MassTransit";

    public static IHostApplicationBuilder AddOneThingTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        var exportsOtlp = ExportsOtlp(builder.Configuration, out var otlpEndpoint);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? serviceName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(OneThingTelemetry.Name, MassTransitSource)
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsScrapeOrProbe(context.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                if (exportsOtlp)
                {
                    tracing.AddOtlpExporter(otlp => otlp.Endpoint = otlpEndpoint ?? otlp.Endpoint);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(OneThingTelemetry.Name, MassTransitSource)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    // Lags are seconds to minutes; the default buckets (up to 10 s) would put every real delay in the last one.
                    .AddView(instrument => instrument.Meter.Name == OneThingTelemetry.Name && instrument.Unit == "s"
                        ? new ExplicitBucketHistogramConfiguration { Boundaries = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600] }
                        : null)
                    .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds =
                        builder.Configuration.GetValue("Telemetry:ScrapeCacheMilliseconds", 1000));
                if (exportsOtlp)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = otlpEndpoint ?? otlp.Endpoint);
                }
            });
        return builder;
    }

    /// <summary>
    /// /metrics, anonymous like /health: it holds counts and durations labelled by workflow, department, decision,
    /// route template and status code, never a name, number or case. Operators keep it off the public side of the proxy.
    /// </summary>
    public static IEndpointRouteBuilder MapOneThingMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
        return endpoints;
    }

    public static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// OTLP export is on when Telemetry:OtlpEndpoint or the standard OTEL_EXPORTER_OTLP_ENDPOINT is set, off otherwise.
    /// The standard variables (protocol, headers, per-signal paths) are read by the exporter itself; the setting gives
    /// a gRPC endpoint.
    /// </summary>
    private static bool ExportsOtlp(IConfiguration configuration, out Uri? endpoint)
    {
        endpoint = null;
        if (configuration["Telemetry:OtlpEndpoint"] is { Length: > 0 } setting)
        {
            endpoint = Uri.TryCreate(setting, UriKind.Absolute, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"Telemetry:OtlpEndpoint '{setting}' is not an absolute URI, e.g. http://collector:4317.");
            return true;
        }

        return !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }
}
