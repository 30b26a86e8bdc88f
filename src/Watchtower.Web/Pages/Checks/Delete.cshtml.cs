using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Checks;

public sealed class DeleteModel(AccountScope scope, IOutputCacheStore cache) : PageModel
{
    public Check? Check { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        Check = await scope.FindCheckAsync(id, cancellationToken);
        return Check is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        var check = await scope.FindCheckAsync(id, cancellationToken);
        if (check is null)
        {
            return NotFound();
        }

        // Results, state changes and page placements go with it (cascade).
        scope.Db.Checks.Remove(check);
        await scope.Db.SaveChangesAsync(cancellationToken);
        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        TempData["Flash"] = $"Check “{check.Name}” deleted.";
        return Redirect("/Dashboard");
    }
}
