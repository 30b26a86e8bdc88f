using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Pages.Account.Manage;

/// <summary>Two-factor status: new recovery codes, a new authenticator key, or turning it off.</summary>
public sealed class TwoFactorModel(SignInManager<WatchtowerUser> signIn, ILogger<TwoFactorModel> logger) : PageModel
{
    public const string RecoveryCodesKey = "RecoveryCodes";

    public bool Enabled { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Enabled = user.TwoFactorEnabled;
        RecoveryCodesLeft = Enabled ? await signIn.UserManager.CountRecoveryCodesAsync(user) : 0;
        return Page();
    }

    public async Task<IActionResult> OnPostNewRecoveryCodesAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (!user.TwoFactorEnabled)
        {
            return RedirectToPage();
        }

        var codes = await signIn.UserManager.GenerateNewTwoFactorRecoveryCodesAsync(user, 10);
        TempData[RecoveryCodesKey] = string.Join(' ', codes ?? []);
        logger.LogInformation("Account {UserId} made new recovery codes", user.Id);
        return RedirectToPage("/Account/Manage/RecoveryCodes");
    }

    public async Task<IActionResult> OnPostResetAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await signIn.UserManager.SetTwoFactorEnabledAsync(user, false);
        await signIn.UserManager.ResetAuthenticatorKeyAsync(user); // also changes the security stamp
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("Account {UserId} reset its authenticator key", user.Id);
        TempData["Flash"] = "The old key no longer works. Set up your authenticator app with the new one.";
        return RedirectToPage("/Account/Manage/EnableAuthenticator");
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var user = await signIn.UserManager.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        await signIn.UserManager.SetTwoFactorEnabledAsync(user, false); // a new security stamp: other sessions end
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("Account {UserId} turned two-factor authentication off", user.Id);
        TempData["Flash"] = "Two-factor authentication is off.";
        return RedirectToPage();
    }
}
