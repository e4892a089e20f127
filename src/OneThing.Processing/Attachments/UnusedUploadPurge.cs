using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OneThing.Processing.Persistence;

namespace OneThing.Processing.Attachments;

/// <summary>
/// Deletes uploads no filing or supplement used within a day (a form abandoned at the window), hourly on every node.
/// A filing that binds an upload holds its row locked, so the two never both win.
/// </summary>
public sealed partial class UnusedUploadPurge(IServiceScopeFactory scopes, TimeProvider clock, ILogger<UnusedUploadPurge> logger) : BackgroundService
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <returns>How many uploads were deleted.</returns>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OneThingDbContext>();
        var before = clock.GetUtcNow() - Lifetime;
        // The contents go with them (ON DELETE CASCADE).
        return await db.Attachments.Where(a => a.CaseId == null && a.UploadedAt < before).ExecuteDeleteAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await PurgeAsync(stoppingToken) is > 0 and var purged)
                {
                    LogPurged(purged);
                }
            }
            catch (NpgsqlException ex)
            {
                LogPurgeFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} uploads that no case used within a day")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete unused uploads; trying again in an hour")]
    private partial void LogPurgeFailed(Exception exception);
}
