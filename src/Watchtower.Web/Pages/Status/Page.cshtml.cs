using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.History;
using Watchtower.Probes;
using Watchtower.Web.Branding;
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
public sealed class PublicStatusPageModel(WatchtowerDbContext db, PublicIncidents incidents, Uptime uptime, StatusPageSnapshots snapshots, PageAccess access, TimeProvider time, ILogger<PublicStatusPageModel> logger) : PageModel
{
    /// <summary>Where this page's links point: /status/{slug}, or "" at the root of its custom domain.</summary>
    public string Base { get; private set; } = "";
    public PageBranding Branding { get; private set; } = PageBranding.None;
    public IReadOnlyList<StatusPageSnapshot.Group> Groups { get; private set; } = [];
    public bool NoIndex { get; private set; }

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
        catch (Exception ex) when (DatabaseOutage.IsOutage(ex) && snapshots.TryGet(normalized, out var last) && last.Gate?.Visibility != StatusPageVisibility.Members)
        {
            // Readers come here to learn whether something is down: an old answer with its time beats an error.
            // A members-only page is not among them: membership cannot be checked without the database.
            if (await GateAsync(last, databaseUp: false, cancellationToken) is { } refused)
            {
                return refused;
            }

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
        if (await GateAsync(page, databaseUp: true, cancellationToken) is { } gated)
        {
            return gated;
        }

        Show(page);
        return Page();
    }

    private async Task<IActionResult?> GateAsync(StatusPageSnapshot page, bool databaseUp, CancellationToken cancellationToken)
    {
        var gate = page.Gate ?? new PageGate(0, page.Slug, 0, StatusPageVisibility.Public, null);
        NoIndex = gate.NoIndex;
        var admission = await access.DecideAsync(HttpContext, gate, databaseUp, cancellationToken);
        return Gates.Refusal(this, gate, admission);
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
        Branding = page.Branding;
        Groups = page.Groups;
        Base = StatusLinks.Base(HttpContext, page.Slug);
    }

    /// <summary>The rows of one group (null: the ungrouped ones), in the owner's order.</summary>
    public IReadOnlyList<StatusPageSnapshot.Row> RowsOf(int? groupId) =>
        Rows.Where(r => (groupId is null ? r.GroupId is null || !Groups.Any(g => g.Id == r.GroupId) : r.GroupId == groupId)).ToList();

    /// <summary>A group's state: the worst of what its components show (pending and paused ones aside).</summary>
    public static ComponentStatus? WorstOf(IEnumerable<StatusPageSnapshot.Row> rows) =>
        rows.Select(r => r.Shown).OfType<ComponentStatus>().OrderByDescending(Severity).Select(s => (ComponentStatus?)s).FirstOrDefault();

    private static int Severity(ComponentStatus status) => status switch
    {
        ComponentStatus.MajorOutage => 4,
        ComponentStatus.PartialOutage => 3,
        ComponentStatus.DegradedPerformance => 2,
        ComponentStatus.UnderMaintenance => 1,
        _ => 0,
    };

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
                p.TeamId,
                p.Visibility,
                p.PasswordHash,
                p.LogoHash,
                p.LogoContentType,
                p.LogoWidth,
                p.LogoHeight,
                p.SiteUrl,
                p.AccentColor,
                Groups = p.Groups.OrderBy(g => g.SortOrder).ThenBy(g => g.Id).Select(g => new StatusPageSnapshot.Group(g.Id, g.Name)).ToList(),
                Checks = p.Checks.OrderBy(pc => pc.SortOrder).Select(pc => new
                {
                    pc.CheckId,
                    pc.GroupId,
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

        // History from the rollups (two range reads), and the incidents of the bar's days.
        var ids = page.Checks.ConvertAll(c => c.CheckId);
        var history = await uptime.ForChecksAsync(ids, withLatency: true, cancellationToken);
        var since = RollupMath.DayOf(now).AddDays(-(Uptime.BarDays - 1));
        var dayIncidents = (await db.IncidentComponents.AsNoTracking()
            .Where(c => c.Incident!.StatusPageId == page.Id && !c.Incident.Hidden && c.Incident.MergedIntoId == null && (c.Incident.ResolvedAt == null || c.Incident.ResolvedAt >= since))
            .Select(c => new { c.CheckId, c.IncidentId, c.Incident!.Title, c.Incident.CreatedAt, c.Incident.ResolvedAt })
            .ToListAsync(cancellationToken))
            .ToLookup(c => c.CheckId, c => new StatusPageSnapshot.DayIncident(c.IncidentId, c.Title, DateOnly.FromDateTime(c.CreatedAt.UtcDateTime), DateOnly.FromDateTime((c.ResolvedAt ?? now).UtcDateTime)));
        var rows = page.Checks.ConvertAll(c => new StatusPageSnapshot.Row(
            c.Name,
            c.State,
            c.LastCheckedAt,
            c.State is CheckState.Up or CheckState.Degraded ? c.LastLatencyMs : null,
            c.ShowTargetOnStatusPage ? PublicTarget((IKindSettings?)c.Tcp ?? (IKindSettings?)c.Http ?? (IKindSettings?)c.Dns ?? (IKindSettings?)c.Ssl ?? c.Seo) : null,
            c.State is CheckState.Down or CheckState.Degraded ? c.LastPublicMessage : null,
            Display(open, c.CheckId, c.State),
            history.GetValueOrDefault(c.CheckId),
            dayIncidents[c.CheckId].ToList()) { GroupId = c.GroupId });
        return new StatusPageSnapshot(page.Slug, page.Name, page.Description, rows, open, now)
        {
            Branding = new PageBranding(page.LogoHash, page.LogoContentType, page.LogoWidth, page.LogoHeight, page.SiteUrl, page.AccentColor),
            Groups = page.Groups,
            Gate = new PageGate(page.Id, page.Slug, page.TeamId, page.Visibility, PageAccess.Stamp(page.PasswordHash)),
        };
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
