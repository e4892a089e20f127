using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;

namespace OneThing.Api.Accounts;

internal enum SignInRefusal
{
    WrongPassword,
    LockedOut,
    Throttled,

    /// <summary>Disabled by an admin; told only to someone who knows the password, like a lock-out.</summary>
    Disabled,
}

internal sealed record SignInOutcome(StaffAccount? Account, SignInRefusal? Refusal = null, TimeSpan RetryAfter = default);

/// <summary>
/// The password check behind POST /api/auth/login and the web sign-in form. An address that keeps failing is throttled
/// before it is allowed to try again; an account is locked only when failures come from several addresses, so a
/// stranger at one address cannot lock a hall's clerks out. A name nobody has costs the same work as a real one and
/// gets the same answer, and is audited only as a hash. Repeats are not audited one by one: the first failure of a
/// name from an address, the start of its throttling and a lock are.
/// </summary>
internal sealed partial class SignInGuard(
    SignInManager<StaffAccount> signIn,
    SignInThrottle throttle,
    DecoyPasswordHash decoy,
    AuditTrail audit,
    SessionValidity validity,
    IOptions<AccountOptions> options,
    ILogger<SignInGuard> logger)
{
    private UserManager<StaffAccount> Users => signIn.UserManager;

    public async Task<SignInOutcome> VerifyAsync(AuditActor anonymous, string userName, string password, string how,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var accountKey = SignInThrottle.AccountKey(Users.NormalizeName(userName));
        var addressKey = SignInThrottle.AddressKey(anonymous.ClientAddress);
        var retryAfter = await throttle.RetryAfterAsync(accountKey, addressKey, cancellationToken);
        if (retryAfter > TimeSpan.Zero)
        {
            return new SignInOutcome(null, SignInRefusal.Throttled, retryAfter);
        }

        var account = await Users.FindByNameAsync(userName);
        var attempt = anonymous with { UserName = account?.UserName ?? $"unknown-name:{accountKey[..32]}" };
        bool passwordMatches;
        if (account is null)
        {
            decoy.Verify(Users.PasswordHasher, password);
            passwordMatches = false;
        }
        else
        {
            passwordMatches = await Users.CheckPasswordAsync(account, password);
        }

        var lockedOut = account is not null && await Users.IsLockedOutAsync(account);
        if (passwordMatches && lockedOut)
        {
            // Only someone who knows the password learns that the account is locked: to anyone else it looks like any wrong guess.
            await audit.RecordAsync(attempt, AuditActions.SignInFailed, AuditTargets.Account, attempt.UserName, "locked out", cancellationToken);
            return new SignInOutcome(null, SignInRefusal.LockedOut);
        }

        if (passwordMatches && account!.DisabledAt is not null)
        {
            await audit.RecordAsync(attempt, AuditActions.SignInFailed, AuditTargets.Account, attempt.UserName, "disabled", cancellationToken);
            return new SignInOutcome(null, SignInRefusal.Disabled);
        }

        if (passwordMatches)
        {
            await throttle.ForgetAsync(accountKey, addressKey, cancellationToken);
            var role = (await Users.GetRolesAsync(account!)).FirstOrDefault();
            await audit.RecordAsync(attempt with { Role = role }, AuditActions.SignIn, AuditTargets.Account, attempt.UserName, how, cancellationToken);
            return new SignInOutcome(account);
        }

        var counts = await throttle.RecordFailureAsync(accountKey, addressKey, cancellationToken);
        if (counts.FromThisAddressForThisName == 1)
        {
            audit.Add(attempt, AuditActions.SignInFailed, AuditTargets.Account, attempt.UserName, "wrong user name or password");
        }

        if (counts.FromThisAddressForThisName == settings.FailedSignInsPerAddressAndName || counts.FromThisAddress == settings.FailedSignInsPerAddress)
        {
            audit.Add(attempt, AuditActions.SignInThrottled, AuditTargets.Account, attempt.UserName,
                $"{counts.FromThisAddressForThisName} failures for this name and {counts.FromThisAddress} in all from this address; the address waits before trying again");
        }

        if (account is not null && !lockedOut && counts.AddressesForThisName >= settings.AddressesToLockAccount
            && counts.ForThisName >= settings.MaxFailedSignIns)
        {
            // The wall clock, as Identity's own lock-out check uses, not the business clock that deadlines follow.
            await Users.SetLockoutEndDateAsync(account, TimeProvider.System.GetUtcNow() + settings.LockoutDuration);
            // Someone may be in with a guessed password already: the account's sessions end, and stay ended after the lock.
            await Users.UpdateSecurityStampAsync(account);
            validity.Forget(account.Id);
            audit.Add(attempt with { UserName = null, Role = "system" }, AuditActions.AccountLocked, AuditTargets.Account, account.UserName,
                $"{counts.ForThisName} failed sign-ins from {counts.AddressesForThisName} addresses; locked for {settings.LockoutDuration}, its sessions ended");
            LogAccountLocked(counts.ForThisName, counts.AddressesForThisName);
        }

        await audit.SaveAsync(cancellationToken);
        return new SignInOutcome(null, SignInRefusal.WrongPassword);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "An account was locked after {Failures} failed sign-ins from {Addresses} addresses; admins find it in the audit log (account-locked)")]
    private partial void LogAccountLocked(int failures, int addresses);
}

/// <summary>
/// A hash of no one's password, checked when the name is unknown so that the answer takes as long as for a real account:
/// a quick answer would tell a stranger which names exist.
/// </summary>
internal sealed class DecoyPasswordHash
{
    private string? _hash;

    public void Verify(IPasswordHasher<StaffAccount> hasher, string password)
    {
        var decoy = new StaffAccount();
        _hash ??= hasher.HashPassword(decoy, Guid.NewGuid().ToString("N"));
        _ = hasher.VerifyHashedPassword(decoy, _hash, password);
    }
}
