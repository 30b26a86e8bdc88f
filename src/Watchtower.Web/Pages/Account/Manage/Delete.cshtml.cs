using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Pages.Account.Manage;

/// <summary>
/// Deletes the account after the password and a typed phrase. Its status pages and checks (and
/// through them results and history) go with it: they cascade from the owner in the database.
/// </summary>
public sealed class DeleteModel(SignInManager<WatchtowerUser> signIn, ILogger<DeleteModel> logger) : PageModel
{
    public const string Phrase = "delete my account";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(128)]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Type the phrase to confirm.")]
        [StringLength(100)]
        [Display(Name = "Confirmation")]
        public string Confirmation { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (ModelState.IsValid && !string.Equals(Input.Confirmation.Trim(), Phrase, StringComparison.OrdinalIgnoreCase))
        {
            ModelState.AddModelError("Input.Confirmation", $"Type “{Phrase}” exactly.");
        }

        if (ModelState.IsValid && !await signIn.UserManager.CheckPasswordAsync(user, Input.Password))
        {
            ModelState.AddModelError("Input.Password", "That is not your password.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.UserManager.DeleteAsync(user);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, "The account could not be deleted. Try again.");
            return Page();
        }

        await signIn.SignOutAsync();
        logger.LogInformation("Account {UserId} deleted itself", user.Id);
        TempData["Flash"] = "Your account, status pages and checks were deleted.";
        return Redirect("/");
    }
}
