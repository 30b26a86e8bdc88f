using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Pages.Account;

/// <summary>
/// The link sent to a new address: the change takes effect only here. It changes the security stamp,
/// so the link works once and other sessions end; this browser stays signed in only if it already was.
/// </summary>
public sealed class ConfirmEmailChangeModel(
    SignInManager<WatchtowerUser> signIn, AccountEmails emails, ILogger<ConfirmEmailChangeModel> logger) : PageModel
{
    public bool Changed { get; private set; }

    public string? NewEmail { get; private set; }

    public string Problem { get; private set; } =
        "It may be incomplete, used already, or more than a day old. Ask for the change again from your account settings.";

    public async Task OnGetAsync(string? userId, string? email, string? code)
    {
        var users = signIn.UserManager;
        var token = AccountTokens.Decode(code);
        var user = string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(email) || token is null ? null : await users.FindByIdAsync(userId);
        if (user is null)
        {
            return;
        }

        var oldEmail = user.Email;
        var result = await users.ChangeEmailAsync(user, email!, token!);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            {
                Problem = "Another account uses this address now, so it cannot be yours as well.";
            }

            return;
        }

        // The user name is the address.
        var renamed = await users.SetUserNameAsync(user, email);
        if (!renamed.Succeeded)
        {
            logger.LogError("Account {UserId} changed its email but not its user name: {Errors}", user.Id, string.Join("; ", renamed.Errors.Select(e => e.Code)));
        }

        if (signIn.IsSignedIn(User) && users.GetUserId(User) == user.Id)
        {
            await signIn.RefreshSignInAsync(user);
        }
        if (!string.IsNullOrEmpty(oldEmail))
        {
            await emails.SendEmailChangedNoticeAsync(oldEmail, email!);
        }

        logger.LogInformation("Account {UserId} changed its email address", user.Id);
        Changed = true;
        NewEmail = email;
    }
}
