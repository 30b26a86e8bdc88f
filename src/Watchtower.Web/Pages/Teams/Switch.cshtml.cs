using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Teams;

/// <summary>The team switcher's target: works in another of the person's teams. Not a team page (no team role needed).</summary>
[TeamAccess(Write = TeamRole.Viewer)]
public sealed class SwitchModel(TeamService teams) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Dashboard");

    public async Task<IActionResult> OnPostAsync(int teamId, CancellationToken cancellationToken) =>
        await teams.SwitchAsync(teamId, cancellationToken) ? RedirectToPage("/Dashboard") : NotFound();
}
