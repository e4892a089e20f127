using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneThing.Processing;
using OneThing.Processing.Hosting;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Bench.Infrastructure;

/// <summary>
/// The service's own processing wiring (store, workflows, case writer, deadline sweeper) on a given database. The host
/// is built but never started, so no relay, bus or periodic sweep runs behind the measurements.
/// </summary>
public static class BenchServices
{
    public static IHost Build(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ProcessingExtensions.ConnectionStringName}"] = connectionString,
        });
        // The sweeper logs a warning per breach; on the console that would be measured along with the sweep.
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.AddOneThingProcessing(HostingRole.All);
        return builder.Build();
    }

    /// <summary>What the service does at start-up: the numbered migrations, then the workflow files as versions.</summary>
    public static async Task PrepareDatabaseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await services.GetRequiredService<WorkflowRegistry>().RegisterAsync(
            scope.ServiceProvider.GetRequiredService<OneThingDbContext>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(nameof(BenchServices)),
            cancellationToken);
    }
}
