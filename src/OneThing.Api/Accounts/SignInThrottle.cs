using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OneThing.Api.Accounts;

/// <summary>What the failure just recorded adds up to, within the current window.</summary>
internal sealed record SignInFailureCounts(int FromThisAddressForThisName, int FromThisAddress, int AddressesForThisName, int ForThisName);

/// <summary>
/// Failed sign-ins counted in PostgreSQL, so that every API node behind the balancer adds to the same counts. One
/// address that keeps failing is slowed down, with a delay that doubles, long before it could lock anybody out; only
/// failures from several addresses count towards locking an account (<see cref="SignInGuard"/>). Names and addresses
/// are stored as hashes.
/// </summary>
internal sealed class SignInThrottle(NpgsqlDataSource dataSource, IOptions<AccountOptions> options)
{
    private AccountOptions Settings => options.Value;

    // The database's clock, not the node's: nodes whose clocks drift apart still agree on when a delay ends.
    private const string StandingSql = """
        SELECT coalesce(sum(failures), 0)::int,
               max(last_failure_at),
               coalesce(max(failures) FILTER (WHERE account_key = $2), 0)::int,
               max(last_failure_at) FILTER (WHERE account_key = $2),
               now()
        FROM sign_in_failures
        WHERE address_key = $1 AND first_failure_at > now() - $3
        """;

    private const string RecordSql = """
        INSERT INTO sign_in_failures AS f (account_key, address_key, first_failure_at, last_failure_at, failures)
        VALUES ($1, $2, now(), now(), 1)
        ON CONFLICT (address_key, account_key) DO UPDATE SET
            failures         = CASE WHEN f.first_failure_at <= now() - $3 THEN 1 ELSE f.failures + 1 END,
            first_failure_at = CASE WHEN f.first_failure_at <= now() - $3 THEN now() ELSE f.first_failure_at END,
            last_failure_at  = now()
        RETURNING failures
        """;

    private const string CountsSql = """
        SELECT coalesce(sum(failures) FILTER (WHERE address_key = $2), 0)::int,
               count(*) FILTER (WHERE account_key = $1)::int,
               coalesce(sum(failures) FILTER (WHERE account_key = $1), 0)::int
        FROM sign_in_failures
        WHERE (address_key = $2 OR account_key = $1) AND first_failure_at > now() - $3
        """;

    /// <returns>How long this address must wait before it may try this name again; zero when it may try now.</returns>
    public async Task<TimeSpan> RetryAfterAsync(string accountKey, string addressKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StandingSql);
        command.Parameters.Add(new NpgsqlParameter { Value = addressKey });
        command.Parameters.Add(new NpgsqlParameter { Value = accountKey });
        command.Parameters.Add(new NpgsqlParameter { Value = Settings.SignInFailureWindow });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var now = reader.GetFieldValue<DateTimeOffset>(4);
        var forAddress = Wait(reader.GetInt32(0), Settings.FailedSignInsPerAddress, LastAt(reader, 1), now);
        var forName = Wait(reader.GetInt32(2), Settings.FailedSignInsPerAddressAndName, LastAt(reader, 3), now);
        return forAddress > forName ? forAddress : forName;
    }

    public async Task<SignInFailureCounts> RecordFailureAsync(string accountKey, string addressKey, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var sql in new[] { RecordSql, CountsSql })
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.Add(new NpgsqlParameter { Value = accountKey });
            command.Parameters.Add(new NpgsqlParameter { Value = addressKey });
            command.Parameters.Add(new NpgsqlParameter { Value = Settings.SignInFailureWindow });
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var pair = reader.GetInt32(0);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SignInFailureCounts(pair, reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    /// <summary>A successful sign-in wipes what this address had against this name.</summary>
    public Task ForgetAsync(string accountKey, string addressKey, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM sign_in_failures WHERE account_key = $1 AND address_key = $2", cancellationToken, accountKey, addressKey);

    /// <summary>After an admin unlocks an account, the failures that locked it must not lock it again at the next typo.</summary>
    public Task ForgetAccountAsync(string accountKey, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM sign_in_failures WHERE account_key = $1", cancellationToken, accountKey);

    public Task PurgeEndedWindowsAsync(CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM sign_in_failures WHERE first_failure_at <= now() - $1", cancellationToken, Settings.SignInFailureWindow);

    /// <summary>
    /// Keyed on the normalised name, so <c>Clerk</c> and <c>clerk</c> count together; a hash, since what was typed may be
    /// a password typed in the wrong box or somebody's real name.
    /// </summary>
    public static string AccountKey(string normalizedUserName) => Hash($"sign-in-name:{normalizedUserName}");

    public static string AddressKey(string? clientAddress) => Hash($"sign-in-address:{clientAddress ?? "unknown"}");

    /// <summary>The first failure earns no delay; from the limit on, each further failure doubles the wait, up to its cap.</summary>
    private TimeSpan Wait(int failures, int limit, DateTimeOffset? lastFailureAt, DateTimeOffset now)
    {
        if (failures < limit || lastFailureAt is not { } last)
        {
            return TimeSpan.Zero;
        }

        var delay = Settings.SignInBackOff * Math.Pow(2, Math.Min(failures - limit, 16));
        var wait = last + (delay < Settings.MaxSignInBackOff ? delay : Settings.MaxSignInBackOff) - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    private static DateTimeOffset? LastAt(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>Deletes failure counts whose window has ended, once a minute on every node.</summary>
internal sealed partial class SignInFailurePurge(SignInThrottle throttle, ILogger<SignInFailurePurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await throttle.PurgeEndedWindowsAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                LogPurgeFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete ended sign-in failure counts; trying again in a minute")]
    private partial void LogPurgeFailed(Exception exception);
}
