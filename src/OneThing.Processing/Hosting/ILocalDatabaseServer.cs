using Microsoft.Extensions.Logging;

namespace OneThing.Processing.Hosting;

/// <summary>
/// A database server the process runs itself (the development hosting piece's embedded PostgreSQL): started before the
/// schema is migrated and stopped after everything else, so production code never needs to know how it is run.
/// </summary>
public interface ILocalDatabaseServer
{
    Task StartAsync(ILogger logger, CancellationToken cancellationToken);

    Task StopAsync(ILogger logger, CancellationToken cancellationToken);
}
