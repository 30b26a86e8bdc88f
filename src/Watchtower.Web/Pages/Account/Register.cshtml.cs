using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Pages.Account;

public sealed class RegisterModel(
    UserManager<WatchtowerUser> users,
    SignInManager<WatchtowerUser> signIn,
    TimeProvider time,
    ILogger<RegisterModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        [StringLength(254)]
        [Display(Name = "Email")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Choose a password.")]
        [StringLength(128, MinimumLength = 10, ErrorMessage = "Use at least 10 characters.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Repeat the password.")]
        [DataType(DataType.Password)]
        [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
        [Display(Name = "Confirm password")]
        public string ConfirmPassword { get; set; } = "";
    }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect("/Dashboard") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Input.Email.Trim();
        var user = new WatchtowerUser { UserName = email, Email = email, CreatedAt = time.GetUtcNow() };
        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                var field = error.Code.Contains("Password", StringComparison.Ordinal) ? "Input.Password"
                    : error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) ? "Input.Email"
                    : string.Empty;
                var message = error.Code is "DuplicateUserName" or "DuplicateEmail"
                    ? "An account with this email already exists. Log in instead."
                    : error.Description;
                if (!ModelState[field]?.Errors.Any(e => e.ErrorMessage == message) ?? true)
                {
                    ModelState.AddModelError(field, message);
                }
            }

            return Page();
        }

        logger.LogInformation("Account {UserId} registered", user.Id);
        await signIn.SignInAsync(user, isPersistent: false);
        TempData["Flash"] = "Welcome to Watchtower. Create your first status page.";
        return Redirect("/Dashboard");
    }
}
