using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Web.Incidents;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Status;

/// <summary>The permalink of one incident: its whole timeline. A hidden one (or another page's) is not found; a merged one sends readers to the incident it joined.</summary>
[OutputCache(PolicyName = WebSetup.StatusPageCachePolicy)]
public sealed class IncidentModel(WatchtowerDbContext db, PublicIncidents incidents) : PageModel
{
    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public PublicIncident? Incident { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, int id, CancellationToken cancellationToken)
    {
        var normalized = (slug ?? "").ToLowerInvariant();
        var page = await db.StatusPages.AsNoTracking().Where(x => x.Slug == normalized).Select(x => new { x.Id, x.Name, x.Slug }).FirstOrDefaultAsync(cancellationToken);
        if (page is null)
        {
            return NotFound();
        }

        Incident = await incidents.OneAsync(page.Id, id, cancellationToken);
        if (Incident is null)
        {
            return await incidents.MergedIntoAsync(page.Id, id, cancellationToken) is { } target
                ? RedirectPermanent($"/status/{page.Slug}/incidents/{target}")
                : NotFound();
        }

        Name = page.Name;
        Slug = page.Slug;
        return Page();
    }
}
