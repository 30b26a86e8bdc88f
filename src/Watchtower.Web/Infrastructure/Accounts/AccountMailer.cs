using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>
/// Makes the token, the link and the email for each account flow, at most once a minute per account
/// and kind (<see cref="MailThrottle"/>). Callers show the same page whether or not a mail went.
/// </summary>
public sealed class AccountMailer(
    UserManager<WatchtowerUser> users, AccountEmails emails, MailThrottle throttle, SiteLinks links, ILogger<AccountMailer> logger)
{
    /// <summary>Sends the confirmation link; false (and the wait) when one went out moments ago.</summary>
    public async Task<(bool Sent, TimeSpan Wait)> SendConfirmationAsync(WatchtowerUser user, IUrlHelper url)
    {
        var (allowed, wait) = await throttle.TryTakeAsync(user, "confirm");
        if (!allowed)
        {
            return (false, wait);
        }

        var code = AccountTokens.Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = links.Absolute(url.Page("/Account/ConfirmEmail", pageHandler: null, values: new { userId = user.Id, code })!);
        await emails.SendConfirmationLinkAsync(user, user.Email!, link);
        logger.LogInformation("Queued the confirmation link for account {UserId}", user.Id);
        return (true, TimeSpan.Zero);
    }

    public async Task SendPasswordResetAsync(WatchtowerUser user, IUrlHelper url)
    {
        if ((await throttle.TryTakeAsync(user, "reset")).Allowed)
        {
            await emails.SendPasswordResetLinkAsync(user, user.Email!, await ResetLinkAsync(user, url));
            logger.LogInformation("Queued a password reset link for account {UserId}", user.Id);
        }
    }

    public async Task SendSignUpAttemptAsync(WatchtowerUser user, IUrlHelper url)
    {
        if ((await throttle.TryTakeAsync(user, "sign-up")).Allowed)
        {
            await emails.SendSignUpAttemptAsync(user.Email!, await ResetLinkAsync(user, url));
            logger.LogInformation("Sign-up with the address of account {UserId}: told its owner", user.Id);
        }
    }

    public async Task<(bool Sent, TimeSpan Wait)> SendEmailChangeAsync(WatchtowerUser user, string newEmail, IUrlHelper url)
    {
        var (allowed, wait) = await throttle.TryTakeAsync(user, "change-email");
        if (!allowed)
        {
            return (false, wait);
        }

        var code = AccountTokens.Encode(await users.GenerateChangeEmailTokenAsync(user, newEmail));
        var link = links.Absolute(url.Page("/Account/ConfirmEmailChange", pageHandler: null, values: new { userId = user.Id, email = newEmail, code })!);
        await emails.SendEmailChangeLinkAsync(newEmail, link);
        logger.LogInformation("Queued the email-change link for account {UserId}", user.Id);
        return (true, TimeSpan.Zero);
    }

    private async Task<string> ResetLinkAsync(WatchtowerUser user, IUrlHelper url)
    {
        var code = AccountTokens.Encode(await users.GeneratePasswordResetTokenAsync(user));
        return links.Absolute(url.Page("/Account/ResetPassword", pageHandler: null, values: new { userId = user.Id, code })!);
    }
}
