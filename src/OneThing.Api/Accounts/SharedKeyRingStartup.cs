using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Npgsql;

namespace OneThing.Api.Accounts;

/// <summary>
/// Makes sure the shared key ring holds a key before this node serves anything, one node at a time. Nodes starting
/// together on a new database would otherwise each create a first key of their own on first use and, once ASP.NET's
/// two-minute grace for unknown keys is over, reject each other's tokens until their next key-ring refresh (a day).
/// Runs after the database start-up, which creates the table.
/// </summary>
internal sealed class SharedKeyRingStartup(NpgsqlDataSource dataSource, IKeyManager keys, TimeProvider clock) : IHostedService
{
    private const long KeyRingLockKey = 0x4F6E654B65797321; // "OneKeys!"

    /// <summary>ASP.NET Core's default key lifetime; later keys are rolled over by the framework itself.</summary>
    private static readonly TimeSpan FirstKeyLifetime = TimeSpan.FromDays(90);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockRing = new NpgsqlCommand($"SELECT pg_advisory_lock({KeyRingLockKey})", connection))
        {
            await lockRing.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            // Read from the database under the lock (not from this node's cached key ring, which may have been loaded
            // before another node stored its key), so only the first node creates one.
            var now = clock.GetUtcNow();
            if (!keys.GetAllKeys().Any(key => !key.IsRevoked && key.ActivationDate <= now && key.ExpirationDate > now))
            {
                keys.CreateNewKey(now, now + FirstKeyLifetime);
            }
        }
        finally
        {
            await using var unlockRing = new NpgsqlCommand($"SELECT pg_advisory_unlock({KeyRingLockKey})", connection);
            await unlockRing.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
