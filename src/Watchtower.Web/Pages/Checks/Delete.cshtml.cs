using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Watchtower.Data.Entities;
using Watchtower.Web.Checks;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Checks;

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
