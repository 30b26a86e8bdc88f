using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Infrastructure.Outage;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.StatusPages;

/// <remarks>A form that changes the team's things: editors and owners only, to look at as well as to send.</remarks>
[TeamAccess(Read = TeamRole.Editor)]
public sealed class DeleteModel(TeamScope scope, AuditLog audit, IOutputCacheStore cache, StatusPageSnapshots snapshots, Branding.CustomDomains domains) : PageModel
{
    public StatusPage? StatusPage { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        StatusPage = await scope.FindPageAsync(id, cancellationToken);
        return StatusPage is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken cancellationToken)
    {
        var page = await scope.FindPageAsync(id, cancellationToken);
        if (page is null)
        {
            return NotFound();
        }

        scope.Db.StatusPages.Remove(page);
        audit.Record("page.deleted", AuditLog.Describe("status page", page.Name, page.Id), $"/status/{page.Slug}");
        await scope.Db.SaveChangesAsync(cancellationToken);
        await cache.EvictByTagAsync(WebSetup.StatusPageCacheTag, cancellationToken);
        snapshots.Forget(page.Slug);
        domains.Invalidate();
        TempData["Flash"] = $"Status page “{page.Name}” deleted. Its checks are kept.";
        return RedirectToPage("/Dashboard");
    }
}
