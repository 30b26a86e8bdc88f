using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Pages.Account;

/// <summary>Where every sign-up ends, whether the address was new or taken.</summary>
public sealed class CheckEmailModel(AccountRules rules) : PageModel
{
    public string? Email { get; private set; }

    public bool RequireConfirmedEmail => rules.RequireConfirmedEmail;

    public void OnGet() => Email = TempData[RegisterModel.EmailKey] as string;
}
