using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Watchtower.Web.Pages.Account.Manage;

/// <summary>Recovery codes, shown once (they come through TempData from the page that made them).</summary>
public sealed class RecoveryCodesModel : PageModel
{
    public IReadOnlyList<string> Codes { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (TempData[TwoFactorModel.RecoveryCodesKey] is not string codes || codes.Length == 0)
        {
            return RedirectToPage("/Account/Manage/TwoFactor");
        }

        Codes = codes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Page();
    }
}
