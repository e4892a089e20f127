using Microsoft.AspNetCore.Components.Authorization;

namespace OneThing.Api.Web.Shared;

/// <summary>
/// Who is using the page, for claims and decisions. Until sign-in exists the pages are opened by role and act under the
/// role's name (e.g. "reviewer.education"); once signed in, the account's user name is used.
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<string> NameAsync(string nameWithoutSignIn)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return state.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : nameWithoutSignIn;
    }
}
