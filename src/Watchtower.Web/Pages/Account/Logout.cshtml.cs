using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Pages.Account;

/// <summary>
/// Log out is a POST (with antiforgery) so a link on another site cannot sign people out. It changes
/// the account's security stamp, which every request checks, so a copy of the cookie made before
/// (a stolen one, or another device) stops working too — not just the cookie this browser deletes.
/// </summary>
public sealed class LogoutModel(SignInManager<WatchtowerUser> signIn, ILogger<LogoutModel> logger) : PageModel
{
    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is { } user)
        {
            await signIn.UserManager.UpdateSecurityStampAsync(user);
            logger.LogInformation("Account {UserId} logged out; its sessions ended", user.Id);
        }

        await signIn.SignOutAsync();
        return Redirect("/");
    }
}
