using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Pages.Account.Manage;

/// <summary>
/// Shows the account's authenticator key (QR code drawn here, no outside service) and turns
/// two-factor on once a code from the app checks out; the first time, recovery codes follow.
/// </summary>
public sealed class EnableAuthenticatorModel(
    WatchtowerUserManager users, SignInManager<WatchtowerUser> signIn, ILogger<EnableAuthenticatorModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string SharedKey { get; private set; } = "";

    public string QrCodeDataUri { get; private set; } = "";

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter the code your app shows.")]
        [StringLength(9, ErrorMessage = "The code has six digits.")]
        [Display(Name = "Code from the app")]
        public string Code { get; set; } = "";
    }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await LoadKeyAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!ModelState.IsValid)
        {
            await LoadKeyAsync(user);
            return Page();
        }

        var code = Input.Code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError("Input.Code", "That code is not right. Check the time on your phone, and type the code the app shows now.");
            await LoadKeyAsync(user);
            return Page();
        }

        // Turning it on changes the security stamp: other sessions end, this one is renewed.
        await users.SetTwoFactorEnabledAsync(user, true);
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("Account {UserId} turned two-factor authentication on", user.Id);
        if (await users.CountRecoveryCodesAsync(user) == 0)
        {
            var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
            TempData[TwoFactorModel.RecoveryCodesKey] = string.Join(' ', codes ?? []);
            return RedirectToPage("/Account/Manage/RecoveryCodes");
        }

        TempData["Flash"] = "Two-factor authentication is on.";
        return RedirectToPage("/Account/Manage/TwoFactor");
    }

    private async Task LoadKeyAsync(WatchtowerUser user)
    {
        var key = await users.GetOrCreateAuthenticatorKeyAsync(user);
        SharedKey = AuthenticatorQrCode.FormatKey(key);
        QrCodeDataUri = AuthenticatorQrCode.PngDataUri(AuthenticatorQrCode.Uri("Watchtower", user.Email ?? "", key));
    }
}
