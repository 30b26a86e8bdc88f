using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Pages.Account;

/// <summary>
/// Sign-up never says whether an address has an account: a new address gets an account and a
/// confirmation link, a taken one gets an email telling its owner (with a reset link), and the
/// visitor sees the same "check your email" page either way, after the same password-hashing work.
/// </summary>
public sealed class RegisterModel(
    UserManager<WatchtowerUser> users,
    AccountMailer mailer,
    TimeProvider time,
    ILogger<RegisterModel> logger) : PageModel
{
    public const string EmailKey = "SignUpEmail";

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
        var candidate = new WatchtowerUser { UserName = email, Email = email, CreatedAt = time.GetUtcNow() };

        // The password is judged before the address is looked up, so a taken address cannot be told
        // apart by which error comes back.
        if (!await PasswordAcceptedAsync(candidate))
        {
            return Page();
        }

        var existing = await users.FindByEmailAsync(email);
        if (existing is null)
        {
            var result = await users.CreateAsync(candidate, Input.Password);
            if (result.Succeeded)
            {
                logger.LogInformation("Account {UserId} registered", candidate.Id);
                await mailer.SendConfirmationAsync(candidate, Url);
            }
            else if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            {
                existing = await users.FindByEmailAsync(email); // another sign-up won the race
            }
            else
            {
                foreach (var error in result.Errors)
                {
                    ModelState.AddModelError(error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal)
                        ? "Input.Email" : string.Empty, error.Description);
                }

                return Page();
            }
        }

        if (existing is not null)
        {
            // As much work as creating the account would have cost.
            _ = users.PasswordHasher.HashPassword(candidate, Input.Password);
            await mailer.SendSignUpAttemptAsync(existing, Url);
        }

        TempData[EmailKey] = email;
        return RedirectToPage("/Account/CheckEmail");
    }

    private async Task<bool> PasswordAcceptedAsync(WatchtowerUser candidate)
    {
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, candidate, Input.Password);
            foreach (var error in result.Errors)
            {
                if (!ModelState["Input.Password"]?.Errors.Any(e => e.ErrorMessage == error.Description) ?? true)
                {
                    ModelState.AddModelError("Input.Password", error.Description);
                }
            }
        }

        return ModelState.IsValid;
    }
}
