using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;
using OneThing.Processing.Persistence;

namespace OneThing.Api.Accounts;

internal enum RefreshRefusal
{
    /// <summary>Expired, forged, from before families existed, of a revoked family, or of an account no longer valid.</summary>
    Invalid,

    /// <summary>Not the family's current token: it was refreshed before, so the family has just been revoked.</summary>
    Reused,
}

/// <summary>
/// Refresh-token rotation with reuse detection. A bearer sign-in starts a family; its tokens carry the family's id and
/// which refresh they came from. Only the family's current refresh token buys new tokens, and the refresh replaces it.
/// A refresh token that was already used means a copy is in someone else's hands: the family is revoked, so neither
/// the thief's nor the owner's tokens of that sign-in work any more (<see cref="SessionValidity"/>); the account's other
/// sign-ins are untouched.
/// </summary>
internal sealed class RefreshTokenFamilies(
    OneThingDbContext db,
    SignInManager<StaffAccount> signIn,
    SessionValidity validity,
    AuditTrail audit,
    Microsoft.Extensions.Options.IOptionsMonitor<BearerTokenOptions> bearer)
{
    private BearerTokenOptions Bearer => bearer.Get(IdentityConstants.BearerScheme);

    private DateTimeOffset Now => (Bearer.TimeProvider ?? TimeProvider.System).GetUtcNow();

    /// <summary>Until the last token a refresh can hand out has expired, access or refresh.</summary>
    private DateTimeOffset ExpiryFrom(DateTimeOffset now) =>
        now + (Bearer.RefreshTokenExpiration > Bearer.BearerTokenExpiration ? Bearer.RefreshTokenExpiration : Bearer.BearerTokenExpiration);

    /// <summary>Signs the account in with a bearer token of a new family; the bearer handler writes the answer.</summary>
    public async Task SignInAsync(StaffAccount account, CancellationToken cancellationToken)
    {
        var now = Now;
        var family = new RefreshTokenFamily { Id = Guid.NewGuid(), UserId = account.Id, CurrentTokenId = Guid.NewGuid(), CreatedAt = now, ExpiresAt = ExpiryFrom(now) };
        db.RefreshTokenFamilies.Add(family);
        await db.SaveChangesAsync(cancellationToken);
        // Families that can back no token any more; the account's own, so the work stays small and no sweeper is needed.
        await db.RefreshTokenFamilies.Where(f => f.UserId == account.Id && f.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.SignInWithClaimsAsync(account, isPersistent: false, [.. TokenClaims(family), new Claim("amr", "pwd")]);
    }

    /// <returns>The principal for the new tokens, or why there are none.</returns>
    public async Task<(ClaimsPrincipal? Principal, RefreshRefusal Refusal)> RotateAsync(ClaimsPrincipal presented, AuditActor caller,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(presented.FindFirstValue(StaffClaims.TokenFamily), out var familyId)
            || !Guid.TryParse(presented.FindFirstValue(StaffClaims.TokenId), out var tokenId)
            || !await validity.IsValidAsync(presented, cancellationToken, fresh: true)
            || await signIn.UserManager.GetUserAsync(presented) is not { } account)
        {
            return (null, RefreshRefusal.Invalid);
        }

        var now = Now;
        var next = Guid.NewGuid();
        var rotated = await db.RefreshTokenFamilies
            .Where(f => f.Id == familyId && f.CurrentTokenId == tokenId && f.RevokedAt == null && f.ExpiresAt > now)
            .ExecuteUpdateAsync(f => f.SetProperty(x => x.CurrentTokenId, next).SetProperty(x => x.ExpiresAt, ExpiryFrom(now)), cancellationToken);
        if (rotated == 1)
        {
            var principal = await signIn.CreateUserPrincipalAsync(account);
            ((ClaimsIdentity)principal.Identity!).AddClaims(TokenClaims(new RefreshTokenFamily { Id = familyId, UserId = account.Id, CurrentTokenId = next }));
            return (principal, default);
        }

        // The family was valid a moment ago (checked above), so the token is an earlier one of it.
        var revoked = await db.RefreshTokenFamilies.Where(f => f.Id == familyId && f.RevokedAt == null)
            .ExecuteUpdateAsync(f => f.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, "refresh token reused"), cancellationToken);
        validity.Forget(account.Id);
        if (revoked == 1)
        {
            await audit.RecordAsync(caller with { UserName = account.UserName }, AuditActions.RefreshTokenReused, AuditTargets.Account, account.UserName,
                "a refresh token was presented again after it had been used; that sign-in's tokens are revoked", cancellationToken);
        }

        return (null, RefreshRefusal.Reused);
    }

    private static Claim[] TokenClaims(RefreshTokenFamily family) =>
    [
        new(StaffClaims.TokenFamily, family.Id.ToString()),
        new(StaffClaims.TokenId, family.CurrentTokenId.ToString()),
    ];
}
