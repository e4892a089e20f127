using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Npgsql;
using OneThing.Processing.Accounts;

namespace OneThing.Api.Accounts;

/// <summary>
/// Whether a signed-in principal (a cookie, a bearer token, a Blazor circuit) still speaks for its account: the
/// security stamp it carries is the account's current one (sign-out, a password change or reset, a role or department
/// change and a lock-out all replace it), the account is not disabled or locked out, and a bearer token's refresh-token
/// family is not revoked. Answers are kept for <see cref="AccountOptions.SessionCheckInterval"/> so that a request
/// does not pay a database round trip each time; a change made on this node forgets that account's answers at once,
/// another node notices within the interval.
/// </summary>
public sealed class SessionValidity(
    NpgsqlDataSource dataSource, IOptions<AccountOptions> options, IOptions<IdentityOptions> identity, IOptionsMonitor<BearerTokenOptions> bearer)
    : IDisposable
{
    // The tokens' own clock, not the database's: token families are written with it (and tests may move it).
    private const string StateSql = """
        SELECT a.security_stamp = $2
               AND a.disabled_at IS NULL
               AND NOT (a.lockout_enabled AND a.lockout_end IS NOT NULL AND a.lockout_end > $4)
               AND ($3::uuid IS NULL OR EXISTS (
                   SELECT 1 FROM refresh_token_families f
                   WHERE f.id = $3 AND f.user_id = a.id AND f.revoked_at IS NULL AND f.expires_at > $4))
        FROM accounts a
        WHERE a.id = $1
        """;

    private readonly MemoryCache _answers = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>Cancelled when an account changes on this node, which drops every answer kept for it.</summary>
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _accountChanges = new(StringComparer.Ordinal);

    /// <param name="fresh">Read the database whatever is kept: a circuit checks seldom, so each check counts.</param>
    public async Task<bool> IsValidAsync(ClaimsPrincipal principal, CancellationToken cancellationToken, bool fresh = false)
    {
        var claims = identity.Value.ClaimsIdentity;
        if (principal.Identity?.IsAuthenticated != true
            || principal.FindFirstValue(claims.UserIdClaimType) is not { } userId
            || principal.FindFirstValue(claims.SecurityStampClaimType) is not { } stamp)
        {
            return false;
        }

        Guid? family = null;
        if (principal.FindFirstValue(StaffClaims.TokenFamily) is { } familyClaim)
        {
            if (!Guid.TryParse(familyClaim, out var parsed))
            {
                return false;
            }

            family = parsed;
        }

        var key = (userId, stamp, family);
        if (!fresh && _answers.TryGetValue(key, out bool kept))
        {
            return kept;
        }

        var change = _accountChanges.GetOrAdd(userId, _ => new CancellationTokenSource()).Token;
        var valid = await ReadAsync(userId, stamp, family, cancellationToken);
        var interval = options.Value.SessionCheckInterval;
        // An answer read while the account changed here may be the old one: it is used once, not kept.
        if (interval > TimeSpan.Zero && !change.IsCancellationRequested)
        {
            using var entry = _answers.CreateEntry(key);
            entry.Value = valid;
            entry.Size = 1;
            entry.AbsoluteExpirationRelativeToNow = interval;
            entry.AddExpirationToken(new CancellationChangeToken(change));
        }

        return valid;
    }

    /// <summary>Called after this node changed the account, so its sessions end here at once rather than within the interval.</summary>
    public void Forget(string userId)
    {
        if (_accountChanges.TryRemove(userId, out var change))
        {
            change.Cancel();
        }
    }

    private async Task<bool> ReadAsync(string userId, string stamp, Guid? family, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(StateSql);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        command.Parameters.Add(new NpgsqlParameter { Value = stamp });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)family ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (bearer.Get(IdentityConstants.BearerScheme).TimeProvider ?? TimeProvider.System).GetUtcNow() });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public void Dispose() => _answers.Dispose();
}
