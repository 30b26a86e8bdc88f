using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Teams;

/// <summary>A new team, owned by the person who makes it; open to anyone signed in (also with no team at all).</summary>
public sealed class CreateModel(TeamService teams) : PageModel
{
    [BindProperty]
    public string Name { get; set; } = "";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (outcome, _) = await teams.CreateAsync(Name, cancellationToken);
        if (!outcome.Done)
        {
            ModelState.AddModelError(nameof(Name), outcome.Message);
            return Page();
        }

        TempData["Flash"] = outcome.Message;
        return RedirectToPage("/Dashboard");
    }
}
