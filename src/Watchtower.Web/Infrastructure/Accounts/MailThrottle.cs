using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>
/// At most one email of each kind per account within <see cref="AccountOptions.EmailInterval"/>, so
/// nobody can flood an inbox through the resend, forgot-password or sign-up forms. The time of the
/// last one is kept with the account (Identity's user tokens), so every Web instance sees it.
/// </summary>
public sealed class MailThrottle(UserManager<WatchtowerUser> users, IOptions<AccountOptions> options, TimeProvider time)
{
    private const string Provider = "[Watchtower]";

    /// <summary>True (and the time noted) when this kind of email may go now; otherwise how long until it may.</summary>
    public async Task<(bool Allowed, TimeSpan Wait)> TryTakeAsync(WatchtowerUser user, string kind)
    {
        var name = "mail-sent:" + kind;
        var now = time.GetUtcNow();
        var last = await users.GetAuthenticationTokenAsync(user, Provider, name);
        if (DateTimeOffset.TryParse(last, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var sent))
        {
            var wait = sent + options.Value.EmailInterval - now;
            if (wait > TimeSpan.Zero)
            {
                return (false, wait);
            }
        }

        await users.SetAuthenticationTokenAsync(user, Provider, name, now.ToString("O", CultureInfo.InvariantCulture));
        return (true, TimeSpan.Zero);
    }
}
