using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Pages.Account;

/// <summary>Log out is a POST (with antiforgery) so a link on another site cannot sign people out.</summary>
public sealed class LogoutModel(SignInManager<WatchtowerUser> signIn) : PageModel
{
    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return Redirect("/");
    }
}
