using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Hosting;

/// <summary>
/// Runs before the bus and the relays: starts the process's own database server when there is one, brings the schema up to date
/// and registers the workflow files as versions. Stopped last, so the database outlives everything using it.
/// </summary>
public sealed class DatabaseStartup(
    IServiceScopeFactory scopes,
    WorkflowRegistry workflows,
    TimeProvider clock,
    ILogger<DatabaseStartup> logger,
    ILocalDatabaseServer? localServer = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (localServer is not null)
        {
            await localServer.StartAsync(logger, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
                await workflows.RegisterAsync(scope.ServiceProvider.GetRequiredService<OneThingDbContext>(), clock, logger, cancellationToken);
                return;
            }
            // A node started while its database is restarting waits for it, as it would in a cluster starting up.
            catch (NpgsqlException ex) when (ex.IsTransient && attempt < StartupAttempts)
            {
                logger.LogWarning("PostgreSQL is not reachable yet ({Error}); attempt {Attempt} of {Attempts}", ex.Message, attempt, StartupAttempts);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    private const int StartupAttempts = 60;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (localServer is not null)
        {
            await localServer.StopAsync(logger, cancellationToken);
        }
    }
}
