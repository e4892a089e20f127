using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OneThing.Processing.Accounts;

namespace OneThing.Api.Accounts;

/// <summary>Puts a reviewer's department into the cookie and the bearer token, so scoping needs no database read.</summary>
internal sealed class StaffClaimsFactory(
    UserManager<StaffAccount> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffAccount, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffAccount user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (!string.IsNullOrEmpty(user.Department))
        {
            identity.AddClaim(new Claim(StaffClaims.Department, user.Department));
        }

        return identity;
    }
}
