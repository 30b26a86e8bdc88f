using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>Adds whether the email address is confirmed and whether two-factor sign-in is on, so every page knows without a query.</summary>
public sealed class WatchtowerClaimsFactory(
    UserManager<WatchtowerUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<WatchtowerUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(WatchtowerUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AccountClaims.EmailConfirmed, user.EmailConfirmed ? "true" : "false"));
        identity.AddClaim(new Claim(AccountClaims.TwoFactorEnabled, user.TwoFactorEnabled ? "true" : "false"));
        return identity;
    }
}
