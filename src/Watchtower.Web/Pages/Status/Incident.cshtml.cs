using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Web.Branding;
using Watchtower.Web.Incidents;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Infrastructure.Outage;

namespace Watchtower.Web.Pages.Status;

/// <summary>The permalink of one incident: its whole timeline. A hidden one (or another page's) is not found; a merged one sends readers to the incident it joined.</summary>
[OutputCache(PolicyName = WebSetup.StatusPageCachePolicy)]
public sealed class IncidentModel(WatchtowerDbContext db, PublicIncidents incidents, PageAccess access) : PageModel
{
    /// <summary>Where links point: /status/{slug}, or "" at the root of the page's custom domain.</summary>
    public string Base { get; private set; } = "";
    public bool NoIndex { get; private set; }

    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";

    /// <summary>The page's branded header, as on the page itself.</summary>
    public StatusHeader Header { get; private set; } = new("", "", PageBranding.None);
    public PublicIncident? Incident { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, int id, CancellationToken cancellationToken)
    {
        var normalized = (slug ?? "").ToLowerInvariant();
        var page = await db.StatusPages.AsNoTracking().Where(x => x.Slug == normalized).Select(x => new { x.Id, x.Name, x.Slug, x.TeamId, x.Visibility, x.PasswordHash, Branding = new PageBranding(x.LogoHash, x.LogoContentType, x.LogoWidth, x.LogoHeight, x.SiteUrl, x.AccentColor) }).FirstOrDefaultAsync(cancellationToken);
        if (page is null)
        {
            return NotFound();
        }

        var gate = new PageGate(page.Id, page.Slug, page.TeamId, page.Visibility, PageAccess.Stamp(page.PasswordHash));
        NoIndex = gate.NoIndex;
        if (Gates.Refusal(this, gate, await access.DecideAsync(HttpContext, gate, databaseUp: true, cancellationToken)) is { } refused)
        {
            return refused;
        }

        Base = StatusLinks.Base(HttpContext, page.Slug);

        Incident = await incidents.OneAsync(page.Id, id, cancellationToken);
        if (Incident is null)
        {
            return await incidents.MergedIntoAsync(page.Id, id, cancellationToken) is { } target
                ? RedirectPermanent($"{Base}/incidents/{target}")
                : NotFound();
        }

        Name = page.Name;
        Slug = page.Slug;
        Header = new StatusHeader(page.Name, Base, page.Branding);
        return Page();
    }
}
