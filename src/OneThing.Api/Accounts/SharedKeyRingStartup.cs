using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace OneThing.Api.Accounts;

/// <summary>
/// Makes sure the shared key ring holds a key before this node serves anything, one node at a time. Nodes starting
/// together on a new database would otherwise each create a first key of their own on first use and, once ASP.NET's
/// two-minute grace for unknown keys is over, reject each other's tokens until their next key-ring refresh (a day).
/// Runs after the database start-up, which creates the table.
/// </summary>
internal sealed class SharedKeyRingStartup(NpgsqlDataSource dataSource, IDataProtectionProvider dataProtection) : IHostedService
{
    private const long KeyRingLockKey = 0x4F6E654B65797321; // "OneKeys!"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockRing = new NpgsqlCommand($"SELECT pg_advisory_lock({KeyRingLockKey})", connection))
        {
            await lockRing.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            // Protecting anything loads the key ring from the database, creating and storing the first key if there is none.
            dataProtection.CreateProtector(nameof(SharedKeyRingStartup)).Protect([0]);
        }
        finally
        {
            await using var unlockRing = new NpgsqlCommand($"SELECT pg_advisory_unlock({KeyRingLockKey})", connection);
            await unlockRing.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
