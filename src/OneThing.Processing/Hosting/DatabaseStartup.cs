using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneThing.Processing.Persistence;
using OneThing.Processing.Workflows;

namespace OneThing.Processing.Hosting;

/// <summary>
/// Runs before the bus and the relays: starts the embedded server when there is one, brings the schema up to date
/// and registers the workflow files as versions. Stopped last, so the database outlives everything using it.
/// </summary>
public sealed class DatabaseStartup(
    IServiceScopeFactory scopes,
    WorkflowRegistry workflows,
    TimeProvider clock,
    ILogger<DatabaseStartup> logger,
    EmbeddedPostgres? embedded = null) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (embedded is not null)
        {
            await embedded.StartAsync(logger, cancellationToken);
        }

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        await workflows.RegisterAsync(scope.ServiceProvider.GetRequiredService<OneThingDbContext>(), clock, logger, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (embedded is not null)
        {
            await embedded.StopAsync(logger, cancellationToken);
        }
    }
}
