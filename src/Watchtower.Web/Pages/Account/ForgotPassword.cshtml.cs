using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Pages.Account;

/// <summary>Mails a reset link to a known address; the answer is the same for any address.</summary>
public sealed class ForgotPasswordModel(UserManager<WatchtowerUser> users, AccountMailer mailer) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public bool Sent { get; set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(254)]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        // The email is queued, not sent here, so a known address takes no longer than an unknown one.
        if (await users.FindByEmailAsync(Input.Email.Trim()) is { } user)
        {
            await mailer.SendPasswordResetAsync(user, Url);
        }

        return RedirectToPage(new { Sent = true });
    }
}
