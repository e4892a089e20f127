using Npgsql;
using OneThing.Processing.Applicants;

namespace OneThing.Api.Public;

/// <summary>
/// Deletes ended rate-limit windows and case-number locks once a minute on every node: indexed DELETEs, and a client's
/// hashed address stays in the database for two minutes at most.
/// </summary>
internal sealed partial class RateLimitWindowPurge(PublicRateLimitCounter counter, CaseNumberLock caseNumberLock, ILogger<RateLimitWindowPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PublicRateLimitCounter.Window);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await counter.PurgeEndedWindowsAsync(stoppingToken);
                await caseNumberLock.PurgeEndedAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                // The database being away for a while must not stop the API; the next tick tries again.
                LogPurgeFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete ended rate-limit windows; trying again in a minute")]
    private partial void LogPurgeFailed(Exception exception);
}
