using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Checks;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Checks;

/// <remarks>A form that changes the team's things: editors and owners only, to look at as well as to send.</remarks>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class DeleteModel(CheckService checks, TeamScope scope) : PageModel
{
    public Check? Check { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Check = await scope.FindCheckAsync(id, cancellationToken);
        return Check is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        var check = await checks.DeleteAsync(id, cancellationToken);
        if (check is null)
        {
            return NotFound();
        }

        TempData["Flash"] = $"Check “{check.Name}” deleted.";
        return RedirectToPage("/Dashboard");
    }
}
