using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using OneThing.Api.Accounts;
using OneThing.Processing.Accounts;
using OneThing.Processing.Audit;

namespace OneThing.Api.Web.Shared;

/// <summary>The signed-in account of this browser tab (circuit), for scoping, masking and the audit trail.</summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    /// <summary>The client's address from the request that opened the circuit: the hub connection has no HTTP request per click.</summary>
    public string? ClientAddress { get; set; }

    public async Task<ClaimsPrincipal> PrincipalAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<AuditActor> ActorAsync()
    {
        var user = await PrincipalAsync();
        return new AuditActor(user.UserName(), user.Role() ?? "anonymous", ClientAddress) { Department = user.Department() };
    }

    /// <summary>True for a reviewer of <paramref name="department"/>: the only one who sees its tasks' fields in full and decides them.</summary>
    public async Task<bool> IsReviewerOfAsync(string department)
    {
        var user = await PrincipalAsync();
        return user.IsInRole(Roles.Reviewer) && user.Department() == department;
    }
}
