using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Pages.Account;

/// <summary>
/// The link of the reset email. The token carries the account's security stamp, which a reset
/// changes: so the link works once, and every session signed in with the old password ends.
/// </summary>
public sealed class ResetPasswordModel(UserManager<WatchtowerUser> users, ILogger<ResetPasswordModel> logger) : PageModel
{
    public const string InvalidLink = "This link does not work any more: it was used already, is more than a day old, or the password was changed since. Ask for a new one.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public bool LinkIncomplete => string.IsNullOrEmpty(UserId) || AccountTokens.Decode(Code) is null;

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Choose a password.")]
        [StringLength(128, MinimumLength = 10, ErrorMessage = "Use at least 10 characters.")]
        [DataType(DataType.Password)]
        [Display(Name = "New password")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Repeat the password.")]
        [DataType(DataType.Password)]
        [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
        [Display(Name = "Confirm new password")]
        public string ConfirmPassword { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (LinkIncomplete || !ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.FindByIdAsync(UserId!);
        if (user is null)
        {
            ModelState.AddModelError(string.Empty, InvalidLink);
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, AccountTokens.Decode(Code)!, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "InvalidToken" ? string.Empty : "Input.Password",
                    error.Code == "InvalidToken" ? InvalidLink : error.Description);
            }

            return Page();
        }

        // The link reached the mailbox, which confirms the address; and whoever owns it may try again at once.
        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }

        await users.ResetAccessFailedCountAsync(user);
        logger.LogInformation("Account {UserId} reset its password", user.Id);
        TempData["Flash"] = "Your password was changed. Log in with the new one.";
        return RedirectToPage("/Account/Login");
    }
}
