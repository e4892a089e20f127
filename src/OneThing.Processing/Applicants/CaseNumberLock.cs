using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OneThing.Processing.Applicants;

/// <summary>Bound from the API's <c>PublicApi</c> section, beside its rate limit.</summary>
public sealed class CaseNumberLockOptions
{
    /// <summary>Wrong phone digits for one case number, from any address, after which that case number is locked.</summary>
    public int WrongDigitsPerCaseNumber { get; set; } = 5;

    public TimeSpan CaseNumberLockDuration { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Locks a case number after repeated wrong phone digits, whatever addresses they come from: the per-address limit
/// alone lets a botnet try all 10,000 endings of one case number in minutes. Counted in PostgreSQL so that every API
/// node sees the same lock, on the database's clock so that nodes whose clocks drift still agree when it ends.
/// </summary>
public sealed class CaseNumberLock(NpgsqlDataSource dataSource, IOptions<CaseNumberLockOptions> options)
{
    private const string LockedSql =
        "SELECT locked_until - now() FROM public_lookup_failures WHERE case_key = $1 AND locked_until > now()";

    // A window opens with the first wrong digits and lasts as long as a lock, so one ended lock always starts afresh.
    private const string WrongDigitsSql = """
        INSERT INTO public_lookup_failures AS f (case_key, window_start, failures, locked_until)
        VALUES ($1, now(), 1, CASE WHEN $2 <= 1 THEN now() + $3 END)
        ON CONFLICT (case_key) DO UPDATE SET
            window_start = CASE WHEN f.window_start <= now() - $3 THEN now() ELSE f.window_start END,
            failures     = CASE WHEN f.window_start <= now() - $3 THEN 1 ELSE f.failures + 1 END,
            locked_until = CASE WHEN (CASE WHEN f.window_start <= now() - $3 THEN 1 ELSE f.failures + 1 END) >= $2
                                THEN now() + $3 ELSE f.locked_until END
        """;

    // The applicant who mistyped twice and then got it right starts again from nothing; a running lock stays.
    private const string MatchedSql =
        "DELETE FROM public_lookup_failures WHERE case_key = $1 AND (locked_until IS NULL OR locked_until <= now())";

    private const string PurgeSql =
        "DELETE FROM public_lookup_failures WHERE window_start <= now() - $1 AND (locked_until IS NULL OR locked_until <= now())";

    /// <returns>How long the case number stays locked, or null when it is not.</returns>
    public async Task<TimeSpan?> LockedForAsync(string caseNumber, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(LockedSql);
        command.Parameters.Add(new NpgsqlParameter { Value = CaseKey(caseNumber) });
        return await command.ExecuteScalarAsync(cancellationToken) is TimeSpan left ? left : null;
    }

    public async Task RecordWrongDigitsAsync(string caseNumber, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(WrongDigitsSql);
        command.Parameters.Add(new NpgsqlParameter { Value = CaseKey(caseNumber) });
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.WrongDigitsPerCaseNumber });
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.CaseNumberLockDuration });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordMatchAsync(string caseNumber, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(MatchedSql);
        command.Parameters.Add(new NpgsqlParameter { Value = CaseKey(caseNumber) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PurgeEndedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(PurgeSql);
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.CaseNumberLockDuration });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string CaseKey(string caseNumber) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"public-case:{caseNumber}")));
}
