using System.Security.Claims;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>
/// What an account may do, in one place. The check service asks <see cref="MaySaveChecks(WatchtowerUser)"/>
/// before it creates or changes a check.
/// </summary>
public sealed class AccountRules(IOptions<AccountOptions> options)
{
    public bool RequireConfirmedEmail => options.Value.RequireConfirmedEmail;

    /// <summary>True once the email address is confirmed, or always when the operator does not require it.</summary>
    public bool MaySaveChecks(WatchtowerUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.EmailConfirmed || !RequireConfirmedEmail;
    }

    /// <summary>The same answer from the signed-in principal, without a database query.</summary>
    public bool MaySaveChecks(ClaimsPrincipal principal) => !NeedsEmailConfirmation(principal);

    /// <summary>Signed in, confirmation required, and not confirmed yet: the app shows the "confirm your email" notice.</summary>
    public bool NeedsEmailConfirmation(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return RequireConfirmedEmail
            && principal.Identity?.IsAuthenticated == true
            && !string.Equals(principal.FindFirstValue(AccountClaims.EmailConfirmed), "true", StringComparison.Ordinal);
    }
}
