using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Incidents;
using Watchtower.Web.Incidents;
using Watchtower.Web.Infrastructure.Outage;
using Watchtower.Web.Pages.Status;

using Watchtower.Web.Branding;

namespace Watchtower.Web.PublicApi;

/// <summary>A service of the page as the public API, feeds, badges and widget show it.</summary>
/// <param name="Shown">What the page shows for it: maintenance, an open incident's word when worse, else its own state.</param>
public sealed record PublicComponent(int CheckId, string Name, int Position, CheckState State, ComponentStatus? Shown, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One entry of an incident's timeline, its Markdown source as the owner wrote it.</summary>
public sealed record PublicApiUpdate(long Id, IncidentStatus Status, string Body, DateTimeOffset At);

/// <summary>A service an incident or a maintenance window touches, with the state it gives it.</summary>
public sealed record PublicAffected(int CheckId, string Name, ComponentStatus Status);

public sealed record PublicApiIncident(
    int Id, string Title, IncidentStatus Status, IncidentImpact Impact, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt,
    IReadOnlyList<PublicAffected> Components, IReadOnlyList<PublicApiUpdate> Updates)
{
    /// <summary>The last time anything of it changed: its newest update, its resolution or its opening.</summary>
    public DateTimeOffset UpdatedAt => Updates.Select(u => u.At).Append(CreatedAt).Append(ResolvedAt ?? CreatedAt).Max();

    /// <summary>When it first moved to "monitoring", if it did.</summary>
    public DateTimeOffset? MonitoringAt => Updates.Where(u => u.Status == IncidentStatus.Monitoring).Select(u => (DateTimeOffset?)u.At).Min();
}

public sealed record PublicApiMaintenance(
    int Id, string Title, string Body, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, bool AutoStartEnd,
    MaintenanceStatus Status, DateTimeOffset CreatedAt, IReadOnlyList<PublicAffected> Components);

/// <summary>
/// Everything the public API, feeds, badges and widget of one page say, read at <see cref="ReadAt"/>.
/// <see cref="Incidents"/>: every unresolved one and the most recent resolved ones, newest first.
/// <see cref="Maintenance"/>: the most recent windows by start, latest first.
/// </summary>
public sealed record PublicPageData(
    int Id, string Slug, string Name, string? Description, DateTimeOffset CreatedAt,
    IReadOnlyList<PublicComponent> Components, OverallStatus Overall,
    IReadOnlyList<PublicApiIncident> Incidents, IReadOnlyList<PublicApiMaintenance> Maintenance, DateTimeOffset ReadAt)
{
    /// <summary>Who may read it (the page's visibility): checked by every endpoint before it answers.</summary>
    public required PageGate Gate { get; init; }

    /// <summary>The last time anything the page shows changed (Statuspage's <c>page.updated_at</c>).</summary>
    public DateTimeOffset UpdatedAt =>
        Components.Select(c => c.UpdatedAt)
            .Concat(Incidents.Select(i => i.UpdatedAt))
            .Concat(Maintenance.Select(m => m.CreatedAt))
            .Append(CreatedAt)
            .Max();
}

/// <summary>
/// Reads a public page for the API, feeds, badges and widget: the same services, display states and
/// banner as the page (<see cref="PublicStatusPageModel"/>), only visible incidents (not hidden, not
/// merged away). A handful of queries per read; the endpoints serve the result from the output cache.
/// </summary>
public sealed class PublicPageReader(WatchtowerDbContext db, TimeProvider time)
{
    /// <summary>How many resolved incidents and maintenance windows the lists carry (Statuspage's lists hold 50).</summary>
    public const int RecentCount = 50;

    /// <summary>The page at <paramref name="slug"/> (any case), or null when there is none.</summary>
    public async Task<PublicPageData?> ReadAsync(string? slug, CancellationToken cancellationToken)
    {
        var normalized = (slug ?? "").ToLowerInvariant();
        if (normalized.Length is 0 or > StatusPage.SlugMaxLength)
        {
            return null;
        }

        var page = await db.StatusPages.AsNoTracking()
            .Where(p => p.Slug == normalized)
            .Select(p => new
            {
                p.Id, p.Slug, p.Name, p.Description, p.CreatedAt, p.TeamId, p.Visibility, p.PasswordHash,
                Checks = p.Checks.OrderBy(pc => pc.SortOrder).Select(pc => new { pc.CheckId, pc.Check!.Name, pc.Check.State, pc.Check.CreatedAt, pc.Check.StateChangedAt }).ToList(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (page is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var visible = db.Incidents.AsNoTracking().Where(i => i.StatusPageId == page.Id && !i.Hidden && i.MergedIntoId == null);
        var recentIds = visible.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(RecentCount).Select(i => i.Id);
        var incidentRows = await visible
            .Where(i => i.ResolvedAt == null || recentIds.Contains(i.Id))
            .Select(i => new
            {
                i.Id, i.Title, i.Status, i.Impact, i.CreatedAt, i.ResolvedAt,
                Components = i.Components.Select(c => new { c.CheckId, c.Check!.Name, c.Status }).ToList(),
                Updates = i.Updates.Select(u => new { u.Id, u.Status, u.Body, u.At }).ToList(),
            })
            .ToListAsync(cancellationToken);

        // Of a weekly window, its past occurrences and the current or next one (RecurringMaintenancePass writes two weeks ahead).
        var maintenanceRows = await RecurringMaintenancePass.ShownToReaders(db.Maintenances.AsNoTracking(), db, now)
            .Where(m => m.StatusPageId == page.Id)
            .OrderByDescending(m => m.StartsAt).ThenByDescending(m => m.Id).Take(RecentCount)
            .Select(m => new
            {
                m.Id, m.Title, m.Body, m.StartsAt, m.EndsAt, m.TimeZone, m.AutoStartEnd, m.Status, m.CreatedAt,
                Components = m.Components.Select(c => new { c.CheckId, c.Check!.Name }).ToList(),
            })
            .ToListAsync(cancellationToken);
        var inMaintenance = await AutomaticIncidents.ActiveMaintenance(db, now)
            .Where(mc => mc.Maintenance!.StatusPageId == page.Id).Select(mc => mc.CheckId).Distinct().ToListAsync(cancellationToken);

        var incidents = incidentRows
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(r => new PublicApiIncident(r.Id, r.Title, r.Status, r.Impact, r.CreatedAt, r.ResolvedAt,
                r.Components.ConvertAll(c => new PublicAffected(c.CheckId, c.Name, c.Status)),
                r.Updates.OrderByDescending(u => u.At).ThenByDescending(u => u.Id).Select(u => new PublicApiUpdate(u.Id, u.Status, u.Body, u.At)).ToList()))
            .ToList();

        // The same display rules as the page: maintenance first, then an open incident's word when worse than the check's.
        var open = new PageIncidents([], [], [], inMaintenance.ToHashSet(),
            incidentRows.Where(i => i.ResolvedAt == null).SelectMany(i => i.Components).GroupBy(c => c.CheckId).ToDictionary(g => g.Key, g => g.Max(c => c.Status)));
        var components = page.Checks.Select((c, index) => new PublicComponent(
            c.CheckId, c.Name, index + 1, c.State, PublicStatusPageModel.Display(open, c.CheckId, c.State), c.CreatedAt, c.StateChangedAt ?? c.CreatedAt)).ToList();
        var overall = PublicStatusPageModel.OverallOf(components.ConvertAll(c => new StatusPageSnapshot.Row(c.Name, c.State, null, null, null, null, c.Shown)));

        var maintenance = maintenanceRows.ConvertAll(m => new PublicApiMaintenance(
            m.Id, m.Title, m.Body, m.StartsAt, m.EndsAt, m.TimeZone, m.AutoStartEnd,
            Data.Entities.Maintenance.StatusAt(m.AutoStartEnd, m.Status, m.StartsAt, m.EndsAt, now), m.CreatedAt,
            m.Components.ConvertAll(c => new PublicAffected(c.CheckId, c.Name, ComponentStatus.UnderMaintenance))));

        return new PublicPageData(page.Id, page.Slug, page.Name, page.Description, page.CreatedAt, components, overall, incidents, maintenance, now)
        {
            Gate = new PageGate(page.Id, page.Slug, page.TeamId, page.Visibility, PageAccess.Stamp(page.PasswordHash)),
        };
    }
}

/// <summary>What a component shows as Statuspage's component status and in words.</summary>
public static class PublicComponentText
{
    /// <summary>
    /// Statuspage's enumeration has no word for "not yet checked" or "paused"; the page's banner does
    /// not count those checks, and the API reports them as operational (documented in docs/api.md).
    /// </summary>
    public static ComponentStatus StatusOf(PublicComponent component) =>
        component.Shown ?? IncidentText.AsComponentStatus(component.State) ?? ComponentStatus.Operational;
}
