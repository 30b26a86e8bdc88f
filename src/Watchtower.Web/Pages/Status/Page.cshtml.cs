using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Probes;
using Watchtower.Web.Incidents;
using Watchtower.Web.Infrastructure;
using Watchtower.Web.Infrastructure.Outage;
using Watchtower.Web.Teams;

namespace Watchtower.Web.Pages.Status;

/// <summary>
/// The public status page. Renders from each check's current state (never a scan of raw results),
/// the page's open incidents and maintenance, and is served from the output cache. Shows nothing
/// owner-only: a target only when its owner opted in. While the database cannot be reached it shows
/// the last reading this host made of it, with its time.
/// </summary>
[OutputCache(PolicyName = WebSetup.StatusPageCachePolicy)]
[PublicPage]
public sealed class PublicStatusPageModel(WatchtowerDbContext db, PublicIncidents incidents, StatusPageSnapshots snapshots, TimeProvider time, ILogger<PublicStatusPageModel> logger) : PageModel
{
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public OverallStatus Overall { get; private set; } = OverallStatus.From([]);
    public IReadOnlyList<StatusPageSnapshot.Row> Rows { get; private set; } = [];

    /// <summary>Now: what "checked 2 min ago" counts from.</summary>
    public DateTimeOffset Now { get; private set; }
    public string Slug { get; private set; } = "";
    public PageIncidents Incidents { get; private set; } = PageIncidents.None;

    /// <summary>When what the page shows was read from the database.</summary>
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>True when the database could not be reached and the page shows its last good reading.</summary>
    public bool FromLastReading { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken cancellationToken)
    {
        var normalized = (slug ?? "").ToLowerInvariant();
        StatusPageSnapshot? page;
        try
        {
            page = await ReadAsync(normalized, cancellationToken);
        }
        catch (Exception ex) when (DatabaseOutage.IsOutage(ex) && snapshots.TryGet(normalized, out var last))
        {
            // Readers come here to learn whether something is down: an old answer with its time beats an error.
            logger.LogWarning("Status page {Slug} shown as read at {TakenAt:u}: the database is not reachable", normalized, last.TakenAt);
            Show(last);
            FromLastReading = true;
            return Page();
        }

        if (page is null)
        {
            snapshots.Forget(normalized);
            return NotFound();
        }

        snapshots.Keep(normalized, page);
        Show(page);
        return Page();
    }

    private void Show(StatusPageSnapshot page)
    {
        Now = time.GetUtcNow();
        UpdatedAt = page.TakenAt;
        Slug = page.Slug;
        Name = page.Name;
        Description = page.Description;
        Rows = page.Rows;
        Incidents = page.Incidents;
        Overall = OverallOf(Rows);
    }

    /// <summary>The banner: from what each service shows (an incident's word when worse than the check's), maintenance aside.</summary>
    internal static OverallStatus OverallOf(IReadOnlyList<StatusPageSnapshot.Row> rows)
    {
        var counted = rows.Where(r => r.Display != ComponentStatus.UnderMaintenance).Select(r => r.Display is { } shown ? IncidentText.AsCheckState(shown) : r.State).ToList();
        var overall = OverallStatus.From(counted);
        var shown = rows.Where(r => r.Display != ComponentStatus.UnderMaintenance).Select(r => r.Display ?? IncidentText.AsComponentStatus(r.State)).OfType<ComponentStatus>().ToList();
        if (shown.Contains(ComponentStatus.PartialOutage) && !shown.All(s => s == ComponentStatus.MajorOutage))
        {
            // An owner's "partial outage" is partial, even when it is the page's only service.
            overall = new OverallStatus(OverallLevel.PartialOutage, "Partial outage");
        }

        if (rows.Any(r => r.Display == ComponentStatus.UnderMaintenance) && overall.Level is OverallLevel.Operational or OverallLevel.Unknown)
        {
            overall = OverallStatus.UnderMaintenance;
        }

        return overall;
    }

    private async Task<StatusPageSnapshot?> ReadAsync(string slug, CancellationToken cancellationToken)
    {
        var page = await db.StatusPages.AsNoTracking()
            .Where(p => p.Slug == slug)
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
            return null;
        }

        var now = time.GetUtcNow();
        var open = await incidents.ForPageAsync(page.Id, now, cancellationToken);
        var rows = page.Checks.ConvertAll(c => new StatusPageSnapshot.Row(
            c.Name,
            c.State,
            c.LastCheckedAt,
            c.State is CheckState.Up or CheckState.Degraded ? c.LastLatencyMs : null,
            c.ShowTargetOnStatusPage ? PublicTarget((IKindSettings?)c.Tcp ?? (IKindSettings?)c.Http ?? (IKindSettings?)c.Dns ?? (IKindSettings?)c.Ssl ?? c.Seo) : null,
            c.State is CheckState.Down or CheckState.Degraded ? c.LastPublicMessage : null,
            Display(open, c.CheckId, c.State)));
        return new StatusPageSnapshot(page.Slug, page.Name, page.Description, rows, open, now);
    }

    internal static ComponentStatus? Display(PageIncidents open, int checkId, CheckState state)
    {
        if (open.ChecksInMaintenance.Contains(checkId))
        {
            return ComponentStatus.UnderMaintenance;
        }

        var own = IncidentText.AsComponentStatus(state);
        return open.IncidentStates.TryGetValue(checkId, out var said) && said > (own ?? ComponentStatus.Operational) && said != ComponentStatus.UnderMaintenance
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
