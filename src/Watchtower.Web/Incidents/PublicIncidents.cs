using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Incidents;

namespace Watchtower.Web.Incidents;

public sealed record PublicUpdate(IncidentStatus Status, HtmlString Body, DateTimeOffset At);

public sealed record PublicIncident(
    int Id, string Title, IncidentStatus Status, IncidentImpact Impact, DateTimeOffset CreatedAt, DateTimeOffset? ResolvedAt,
    IReadOnlyList<string> Components, IReadOnlyList<PublicUpdate> Updates);

public sealed record PublicMaintenance(
    int Id, string Title, HtmlString Notice, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string TimeZone, MaintenanceStatus Status,
    IReadOnlyList<string> Components);

/// <summary>One day of the "past incidents" list (UTC days).</summary>
public sealed record IncidentDay(DateOnly Day, IReadOnlyList<PublicIncident> Incidents);

/// <summary>What a status page shows of incidents and maintenance: active ones, the last days, the history, one incident.</summary>
public sealed record PageIncidents(
    IReadOnlyList<PublicIncident> Active, IReadOnlyList<PublicMaintenance> Maintenance, IReadOnlyList<IncidentDay> PastDays,
    IReadOnlySet<int> ChecksInMaintenance, IReadOnlyDictionary<int, ComponentStatus> IncidentStates)
{
    /// <summary>No incidents, no maintenance.</summary>
    public static PageIncidents None { get; } = new([], [], [], new HashSet<int>(), new Dictionary<int, ComponentStatus>());
}

/// <summary>
/// Reads incidents and maintenance for the public pages: only visible ones (not hidden, not merged
/// away), bodies rendered through <see cref="IncidentMarkdown"/>, newest update first.
/// </summary>
public sealed class PublicIncidents(WatchtowerDbContext db, IncidentMarkdown markdown)
{
    public const int PastDays = 14;
    public const int HistoryPageSize = 20;

    private IQueryable<Incident> Visible(int pageId) => db.Incidents.AsNoTracking().Where(i => i.StatusPageId == pageId && !i.Hidden && i.MergedIntoId == null);

    public async Task<PageIncidents> ForPageAsync(int pageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var since = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-(PastDays - 1));
        var incidents = await LoadAsync(Visible(pageId).Where(i => i.ResolvedAt == null || i.CreatedAt >= since || i.ResolvedAt >= since), cancellationToken);
        var active = incidents.Where(i => i.Status != IncidentStatus.Resolved).ToList();
        var past = incidents.Where(i => i.Status == IncidentStatus.Resolved).ToList();
        var days = Enumerable.Range(0, PastDays)
            .Select(d => DateOnly.FromDateTime(now.UtcDateTime.Date.AddDays(-d)))
            .Select(day => new IncidentDay(day, past.Where(i => DateOnly.FromDateTime((i.ResolvedAt ?? i.CreatedAt).UtcDateTime) == day).ToList()))
            .ToList();

        // Of a weekly window, the current or next occurrence (RecurringMaintenancePass writes two weeks ahead).
        var maintenance = await RecurringMaintenancePass.ShownToReaders(db.Maintenances.AsNoTracking(), db, now)
            .Where(m => m.StatusPageId == pageId && m.Status != MaintenanceStatus.Completed && (!m.AutoStartEnd || m.EndsAt > now))
            .OrderBy(m => m.StartsAt).Take(20)
            .Select(m => new { m.Id, m.Title, m.Body, m.StartsAt, m.EndsAt, m.TimeZone, m.AutoStartEnd, m.Status, Components = m.Components.Select(c => new { c.CheckId, c.Check!.Name }).ToList() })
            .ToListAsync(cancellationToken);
        var windows = maintenance.ConvertAll(m => new PublicMaintenance(
            m.Id, m.Title, markdown.Render(m.Body), m.StartsAt, m.EndsAt, m.TimeZone,
            Maintenance.StatusAt(m.AutoStartEnd, m.Status, m.StartsAt, m.EndsAt, now), m.Components.ConvertAll(c => c.Name)));
        var inMaintenance = await AutomaticIncidents.ActiveMaintenance(db, now)
            .Where(mc => mc.Maintenance!.StatusPageId == pageId).Select(mc => mc.CheckId).Distinct().ToListAsync(cancellationToken);

        var states = await db.IncidentComponents.AsNoTracking()
            .Where(c => c.Incident!.StatusPageId == pageId && c.Incident.ResolvedAt == null && !c.Incident.Hidden && c.Incident.MergedIntoId == null)
            .Select(c => new { c.CheckId, c.Status }).ToListAsync(cancellationToken);
        var worst = states.GroupBy(s => s.CheckId).ToDictionary(g => g.Key, g => g.Max(s => s.Status));
        return new PageIncidents(active, windows, days, inMaintenance.ToHashSet(), worst);
    }

    /// <summary>A page of the history, newest first; <paramref name="page"/> counts from 1.</summary>
    public async Task<(IReadOnlyList<PublicIncident> Items, int Total)> HistoryAsync(int pageId, int page, CancellationToken cancellationToken)
    {
        var total = await Visible(pageId).CountAsync(cancellationToken);
        var items = await LoadAsync(Visible(pageId).OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Skip((Math.Max(1, page) - 1) * HistoryPageSize).Take(HistoryPageSize), cancellationToken);
        return (items, total);
    }

    /// <summary>One visible incident of the page; null when it is not there (or hidden).</summary>
    public async Task<PublicIncident?> OneAsync(int pageId, int id, CancellationToken cancellationToken) =>
        (await LoadAsync(Visible(pageId).Where(i => i.Id == id), cancellationToken)).FirstOrDefault();

    /// <summary>Where a merged incident went, to send its old permalink on; null when it was not merged (or is hidden).</summary>
    public Task<int?> MergedIntoAsync(int pageId, int id, CancellationToken cancellationToken) =>
        db.Incidents.AsNoTracking().Where(i => i.StatusPageId == pageId && i.Id == id && i.MergedIntoId != null && db.Incidents.Any(t => t.Id == i.MergedIntoId && !t.Hidden))
            .Select(i => i.MergedIntoId).FirstOrDefaultAsync(cancellationToken);

    private async Task<List<PublicIncident>> LoadAsync(IQueryable<Incident> query, CancellationToken cancellationToken)
    {
        var rows = await query
            .Select(i => new
            {
                i.Id, i.Title, i.Status, i.Impact, i.CreatedAt, i.ResolvedAt,
                Components = i.Components.Select(c => c.Check!.Name).ToList(),
                Updates = i.Updates.Select(u => new { u.Id, u.Status, u.Body, u.At }).ToList(),
            })
            .ToListAsync(cancellationToken);
        return rows
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Select(r => new PublicIncident(r.Id, r.Title, r.Status, r.Impact, r.CreatedAt, r.ResolvedAt, r.Components,
                r.Updates.OrderByDescending(u => u.At).ThenByDescending(u => u.Id).Select(u => new PublicUpdate(u.Status, markdown.Render(u.Body), u.At)).ToList()))
            .ToList();
    }
}
