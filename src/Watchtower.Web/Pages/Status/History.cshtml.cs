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

/// <summary>Every visible incident of a public page, newest first, 20 to a page (<c>?p=2</c>).</summary>
[OutputCache(PolicyName = WebSetup.StatusPageCachePolicy)]
public sealed class HistoryModel(WatchtowerDbContext db, PublicIncidents incidents, PageAccess access) : PageModel
{
    /// <summary>Where links point: /status/{slug}, or "" at the root of the page's custom domain.</summary>
    public string Base { get; private set; } = "";
    public bool NoIndex { get; private set; }

    public string Name { get; private set; } = "";
    public string Slug { get; private set; } = "";

    /// <summary>The page's branded header, as on the page itself.</summary>
    public StatusHeader Header { get; private set; } = new("", "", PageBranding.None);
    public IReadOnlyList<PublicIncident> Items { get; private set; } = [];
    public int Total { get; private set; }
    public int Current { get; private set; } = 1;
    public int Pages => Math.Max(1, (Total + PublicIncidents.HistoryPageSize - 1) / PublicIncidents.HistoryPageSize);
    public int First => ((Current - 1) * PublicIncidents.HistoryPageSize) + 1;
    public int Last => First + Items.Count - 1;

    public async Task<IActionResult> OnGetAsync(string slug, string? p, CancellationToken cancellationToken)
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

        // A page number that is not one (junk, 0, past the end) shows the nearest real page, never an error.
        Current = int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is > 0 and < 100_000 ? n : 1;
        (Items, Total) = await incidents.HistoryAsync(page.Id, Current, cancellationToken);
        if (Current > Pages)
        {
            Current = Pages;
            (Items, Total) = await incidents.HistoryAsync(page.Id, Current, cancellationToken);
        }

        Name = page.Name;
        Slug = page.Slug;
        Header = new StatusHeader(page.Name, Base, page.Branding);
        return Page();
    }
}
