using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace OneThing.Processing.Observability;

public static class ObservabilityExtensions
{
    /// <summary>The domain counters (counted from committed changes) and the lag gauges, wherever the store is.</summary>
    internal static IHostApplicationBuilder AddOneThingDomainMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<TelemetryOptions>(builder.Configuration.GetSection(TelemetryOptions.Section));
        builder.Services.AddSingleton<CommittedChangeMetrics>();
        builder.Services.AddSingleton<OutboxTraceContext>();
        builder.Services.AddHostedService<LagProbe>();
        return builder;
    }

    internal static DbContextOptionsBuilder AddOneThingInterceptors(this DbContextOptionsBuilder db, IServiceProvider services) =>
        db.AddInterceptors(services.GetRequiredService<CommittedChangeMetrics>(), services.GetRequiredService<OutboxTraceContext>());

    /// <summary>
    /// Statements are traced inside a request's or a message's trace only: the relay's and the sweeper's polling, many
    /// times a second, would otherwise each start a trace of its own. Npgsql records statements, never parameter values.
    /// </summary>
    internal static NpgsqlDataSourceBuilder ConfigureOneThingTracing(this NpgsqlDataSourceBuilder dataSource) =>
        dataSource.ConfigureTracing(tracing => tracing.ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null));
}
