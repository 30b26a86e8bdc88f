using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Pages.Account.Manage;

/// <summary>The "send the link again" button of the confirm-your-email notice; at most one link a minute.</summary>
public sealed class ResendConfirmationModel(UserManager<WatchtowerUser> users, AccountMailer mailer) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Account/Manage/Index");

    public async Task<IActionResult> OnPostAsync(string? returnUrl)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (user.EmailConfirmed)
        {
            TempData["Flash"] = "Your email address is already confirmed.";
        }
        else
        {
            var (sent, wait) = await mailer.SendConfirmationAsync(user, Url);
            TempData["Flash"] = sent
                ? $"We sent a new link to {user.Email}."
                : $"We sent a link less than a minute ago; check your inbox (and spam folder). You can ask again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} seconds.";
        }

        return LocalRedirect(!string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/Dashboard");
    }
}
