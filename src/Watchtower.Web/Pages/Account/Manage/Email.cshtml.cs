using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Pages.Account.Manage;

/// <summary>
/// Asks for a new address and mails it a link; nothing changes until that link is opened
/// (<see cref="Account.ConfirmEmailChangeModel"/>). An address another account uses gets the same
/// answer and no mail, so this form cannot be used to find out who has an account.
/// </summary>
public sealed class EmailModel(UserManager<WatchtowerUser> users, AccountMailer mailer) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string CurrentEmail { get; private set; } = "";

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter the new email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(254)]
        [Display(Name = "New email address")]
        public string NewEmail { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        CurrentEmail = user.Email ?? "";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        CurrentEmail = user.Email ?? "";
        var newEmail = Input.NewEmail.Trim();
        if (ModelState.IsValid && string.Equals(users.NormalizeEmail(newEmail), user.NormalizedEmail, StringComparison.Ordinal))
        {
            ModelState.AddModelError("Input.NewEmail", "That is already your address.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (await users.FindByEmailAsync(newEmail) is null)
        {
            var (sent, wait) = await mailer.SendEmailChangeAsync(user, newEmail, Url);
            if (!sent)
            {
                ModelState.AddModelError(string.Empty, $"We sent a link a moment ago. You can ask again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} seconds.");
                return Page();
            }
        }

        TempData["Flash"] = $"We sent a link to {newEmail}. Your address changes when you open it; until then you log in with {user.Email}.";
        return RedirectToPage("/Account/Manage/Index");
    }
}
