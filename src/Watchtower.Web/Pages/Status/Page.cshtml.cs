using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Probes;
using Watchtower.Web.Incidents;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Pages.Status;

/// <summary>
/// The public status page. Renders from each check's current state (never a scan of raw results)
/// and is served from the output cache. Shows nothing owner-only: a target only when its owner opted in.
/// </summary>
[OutputCache(PolicyName = WebSetup.StatusPageCachePolicy)]
public sealed class PublicStatusPageModel(WatchtowerDbContext db, PublicIncidents incidents, TimeProvider time) : PageModel
{
    /// <summary>A service. <paramref name="Display"/> overrides the check's own state: under maintenance, or what an open incident says of it when worse.</summary>
    public sealed record Row(string Name, CheckState State, DateTimeOffset? LastCheckedAt, int? LatencyMs, string? Target, string? Reason, ComponentStatus? Display = null);

    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public OverallStatus Overall { get; private set; } = OverallStatus.From([]);
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public string Slug { get; private set; } = "";
    public PageIncidents Incidents { get; private set; } = new([], [], [], new HashSet<int>(), new Dictionary<int, ComponentStatus>());

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var normalized = (slug ?? "").ToLowerInvariant();
        var page = await db.StatusPages.AsNoTracking()
            .Where(p => p.Slug == normalized)
            .Select(p => new
            {
                p.Id,
                p.Slug,
                p.Name,
                p.Description,
                Checks = p.Checks.OrderBy(pc => pc.SortOrder).Select(pc => new
                {
                    pc.CheckId,
                    pc.Check!.Name,
                    pc.Check.State,
                    pc.Check.LastCheckedAt,
                    pc.Check.LastLatencyMs,
                    pc.Check.ShowTargetOnStatusPage,
                    pc.Check.LastPublicMessage,
                    pc.Check.Tcp,
                    pc.Check.Http,
                    pc.Check.Dns,
                    pc.Check.Ssl,
                    pc.Check.Seo,
                }).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (page is null)
        {
            return NotFound();
        }

        Now = time.GetUtcNow();
        Slug = page.Slug;
        Incidents = await incidents.ForPageAsync(page.Id, Now, cancellationToken);
        Name = page.Name;
        Description = page.Description;
        Rows = page.Checks.ConvertAll(c => new Row(
            c.Name,
            c.State,
            c.LastCheckedAt,
            c.State is CheckState.Up or CheckState.Degraded ? c.LastLatencyMs : null,
            c.ShowTargetOnStatusPage ? PublicTarget((IKindSettings?)c.Tcp ?? (IKindSettings?)c.Http ?? (IKindSettings?)c.Dns ?? (IKindSettings?)c.Ssl ?? c.Seo) : null,
            c.State is CheckState.Down or CheckState.Degraded ? c.LastPublicMessage : null,
            Display(c.CheckId, c.State)));
        var counted = Rows.Where(r => r.Display != ComponentStatus.UnderMaintenance).Select(r => r.Display is { } shown ? IncidentText.AsCheckState(shown) : r.State).ToList();
        Overall = OverallStatus.From(counted);
        var shown = Rows.Where(r => r.Display != ComponentStatus.UnderMaintenance).Select(r => r.Display ?? IncidentText.AsComponentStatus(r.State)).OfType<ComponentStatus>().ToList();
        if (shown.Contains(ComponentStatus.PartialOutage) && !shown.All(s => s == ComponentStatus.MajorOutage))
        {
            // An owner's "partial outage" is partial, even when it is the page's only service.
            Overall = new OverallStatus(OverallLevel.PartialOutage, "Partial outage");
        }
        if (Rows.Any(r => r.Display == ComponentStatus.UnderMaintenance) && Overall.Level is OverallLevel.Operational or OverallLevel.Unknown)
        {
            Overall = OverallStatus.UnderMaintenance;
        }
        return Page();
    }

    private ComponentStatus? Display(int checkId, CheckState state)
    {
        if (Incidents.ChecksInMaintenance.Contains(checkId))
        {
            return ComponentStatus.UnderMaintenance;
        }

        var own = IncidentText.AsComponentStatus(state);
        return Incidents.IncidentStates.TryGetValue(checkId, out var said) && said > (own ?? ComponentStatus.Operational) && said != ComponentStatus.UnderMaintenance
            ? said
            : null;
    }

    /// <summary>The target an owner chose to show: a URL without its query string or credentials (tokens hide there).</summary>
    private static string? PublicTarget(IKindSettings? settings) => settings switch
    {
        null => null,
        Watchtower.Probes.Http.HttpSettings or Watchtower.Probes.Seo.SeoSettings when Uri.TryCreate(settings.Target, UriKind.Absolute, out var url) =>
            url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped),
        _ => settings.Target,
    };
}
