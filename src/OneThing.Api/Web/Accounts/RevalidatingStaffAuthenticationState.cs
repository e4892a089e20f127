using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using OneThing.Api.Accounts;

namespace OneThing.Api.Web.Accounts;

/// <summary>
/// An open page (Blazor circuit) keeps the principal it started with; this asks <see cref="SessionValidity"/> again every
/// <see cref="AccountOptions.SessionCheckInterval"/>, reading the database each time. Once the session is revoked the
/// page's user becomes no one, and the router sends the browser to the sign-in page, whose request the cookie then fails.
/// </summary>
internal sealed class RevalidatingStaffAuthenticationState(
    ILoggerFactory loggerFactory,
    SessionValidity validity,
    IOptions<AccountOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <summary>Never below a second: a zero interval (no answers kept) would otherwise ask without pause.</summary>
    protected override TimeSpan RevalidationInterval =>
        options.Value.SessionCheckInterval > TimeSpan.FromSeconds(1) ? options.Value.SessionCheckInterval : TimeSpan.FromSeconds(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        validity.IsValidAsync(authenticationState.User, cancellationToken, fresh: true);
}
