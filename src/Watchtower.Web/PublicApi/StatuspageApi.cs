using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Watchtower.Data.Entities;

namespace Watchtower.Web.PublicApi;

// Atlassian Statuspage's public API v2 shapes (https://<page>/api/v2/*.json), field for field. Names
// are written snake_case by the serializer options below; every field is written, null included, as
// Statuspage does. The mapping from Watchtower's model is in docs/api.md.

public sealed record SpPage(string Id, string Name, string Url, string TimeZone, DateTimeOffset UpdatedAt);

public sealed record SpStatus(string Indicator, string Description);

public sealed record SpComponent(
    string Id, string Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Position, string? Description,
    bool Showcase, string? StartDate, string? GroupId, string PageId, bool Group, bool OnlyShowIfDegraded);

public sealed record SpAffectedComponent(string Code, string Name, string OldStatus, string NewStatus);

public sealed record SpIncidentUpdate(
    string Id, string Status, string Body, string IncidentId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset DisplayAt,
    IReadOnlyList<SpAffectedComponent>? AffectedComponents, bool DeliverNotifications, string? CustomTweet, string? TweetId);

public sealed record SpIncident(
    string Id, string Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? MonitoringAt, DateTimeOffset? ResolvedAt,
    string Impact, string Shortlink, DateTimeOffset StartedAt, string PageId, IReadOnlyList<SpIncidentUpdate> IncidentUpdates, IReadOnlyList<SpComponent> Components);

public sealed record SpScheduledMaintenance(
    string Id, string Name, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? MonitoringAt, DateTimeOffset? ResolvedAt,
    string Impact, string Shortlink, DateTimeOffset StartedAt, string PageId, IReadOnlyList<SpIncidentUpdate> IncidentUpdates, IReadOnlyList<SpComponent> Components,
    DateTimeOffset ScheduledFor, DateTimeOffset ScheduledUntil);

public sealed record SpSummary(SpPage Page, IReadOnlyList<SpComponent> Components, IReadOnlyList<SpIncident> Incidents, IReadOnlyList<SpScheduledMaintenance> ScheduledMaintenances, SpStatus Status);

public sealed record SpStatusResponse(SpPage Page, SpStatus Status);

public sealed record SpComponentsResponse(SpPage Page, IReadOnlyList<SpComponent> Components);

public sealed record SpIncidentsResponse(SpPage Page, IReadOnlyList<SpIncident> Incidents);

public sealed record SpScheduledMaintenancesResponse(SpPage Page, IReadOnlyList<SpScheduledMaintenance> ScheduledMaintenances);

/// <summary>Turns a read page into Statuspage's shapes. <paramref name="absolute"/> makes an app path absolute.</summary>
public sealed class StatuspageApi(PublicPageData data, Func<string, string> absolute)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private string PageId => data.Id.ToString(CultureInfo.InvariantCulture);

    public SpPage Page => new(PageId, data.Name, absolute($"/status/{data.Slug}"), "Etc/UTC", data.UpdatedAt);

    public SpSummary Summary() => new(Page, Components(), Unresolved(), UpcomingOrActive(), Status());

    public SpStatusResponse StatusResponse() => new(Page, Status());

    public SpComponentsResponse ComponentsResponse() => new(Page, Components());

    /// <summary>The 50 most recent incidents, plus any older one still unresolved.</summary>
    public SpIncidentsResponse IncidentsResponse() => new(Page, data.Incidents.Select(Incident).ToList());

    public SpIncidentsResponse UnresolvedResponse() => new(Page, Unresolved());

    /// <summary>The 50 most recent windows, whatever their status.</summary>
    public SpScheduledMaintenancesResponse MaintenancesResponse() => new(Page, data.Maintenance.Select(Maintenance).ToList());

    public SpScheduledMaintenancesResponse UpcomingResponse() =>
        new(Page, data.Maintenance.Where(m => m.Status == MaintenanceStatus.Scheduled).OrderBy(m => m.StartsAt).Select(Maintenance).ToList());

    public SpScheduledMaintenancesResponse ActiveResponse() =>
        new(Page, data.Maintenance.Where(m => m.Status == MaintenanceStatus.InProgress).OrderBy(m => m.StartsAt).Select(Maintenance).ToList());

    private List<SpIncident> Unresolved() => data.Incidents.Where(i => i.Status != IncidentStatus.Resolved).Select(Incident).ToList();

    private List<SpScheduledMaintenance> UpcomingOrActive() =>
        data.Maintenance.Where(m => m.Status != MaintenanceStatus.Completed).OrderBy(m => m.StartsAt).Select(Maintenance).ToList();

    /// <summary>
    /// The indicator: the page's banner in Statuspage's words, raised to the worst impact of an
    /// unresolved incident (Statuspage weighs both).
    /// </summary>
    public SpStatus Status()
    {
        var fromBanner = data.Overall.Level switch
        {
            OverallLevel.Degraded => 1,
            OverallLevel.PartialOutage => 2,
            OverallLevel.MajorOutage => 3,
            _ => 0,
        };
        var fromIncidents = data.Incidents.Where(i => i.Status != IncidentStatus.Resolved).Select(i => (int)i.Impact).DefaultIfEmpty(0).Max();
        var level = Math.Max(fromBanner, fromIncidents);
        if (level == 0)
        {
            return data.Overall.Level switch
            {
                OverallLevel.Maintenance => new SpStatus("maintenance", "Service Under Maintenance"),
                OverallLevel.Unknown => new SpStatus("none", data.Overall.Text),
                _ => new SpStatus("none", "All Systems Operational"),
            };
        }

        return level switch
        {
            1 => new SpStatus("minor", "Minor Service Outage"),
            2 => new SpStatus("major", "Partial System Outage"),
            _ => new SpStatus("critical", "Major System Outage"),
        };
    }

    private List<SpComponent> Components() => data.Components.Select(Component).ToList();

    private SpComponent Component(PublicComponent c) => new(
        c.CheckId.ToString(CultureInfo.InvariantCulture), c.Name, ComponentStatusName(PublicComponentText.StatusOf(c)), c.CreatedAt, c.UpdatedAt, c.Position,
        Description: null, Showcase: true, StartDate: c.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        GroupId: null, PageId, Group: false, OnlyShowIfDegraded: false);

    private List<SpComponent> ComponentsOf(IEnumerable<PublicAffected> affected) =>
        affected.Select(a => data.Components.FirstOrDefault(c => c.CheckId == a.CheckId)).OfType<PublicComponent>().Select(Component).ToList();

    private SpIncident Incident(PublicApiIncident i)
    {
        var id = i.Id.ToString(CultureInfo.InvariantCulture);
        var updates = i.Updates.Select(u => new SpIncidentUpdate(
            u.Id.ToString(CultureInfo.InvariantCulture), IncidentStatusName(u.Status), u.Body, id, u.At, u.At, u.At,
            AffectedComponents: null, DeliverNotifications: false, CustomTweet: null, TweetId: null)).ToList();
        return new SpIncident(
            id, i.Title, IncidentStatusName(i.Status), i.CreatedAt, i.UpdatedAt, i.MonitoringAt, i.ResolvedAt, ImpactName(i.Impact),
            absolute($"/status/{data.Slug}/incidents/{id}"), i.CreatedAt, PageId, updates, ComponentsOf(i.Components));
    }

    /// <summary>Maintenance ids carry an "m" so that they never equal an incident's (Statuspage keeps both as incidents).</summary>
    public static string MaintenanceId(int id) => "m" + id.ToString(CultureInfo.InvariantCulture);

    private SpScheduledMaintenance Maintenance(PublicApiMaintenance m)
    {
        var id = MaintenanceId(m.Id);
        var status = MaintenanceStatusName(m.Status);
        // Watchtower keeps one notice per window rather than a timeline: it is the window's one update.
        var update = new SpIncidentUpdate(id + "-notice", status, m.Body, id, m.CreatedAt, m.CreatedAt, m.CreatedAt, null, false, null, null);
        DateTimeOffset? completedAt = m.Status == MaintenanceStatus.Completed ? (m.AutoStartEnd ? m.EndsAt : Min(m.EndsAt, data.ReadAt)) : null;
        return new SpScheduledMaintenance(
            id, m.Title, status, m.CreatedAt, completedAt ?? m.CreatedAt, MonitoringAt: null, ResolvedAt: completedAt, Impact: "maintenance",
            absolute($"/status/{data.Slug}#maintenance-{m.Id.ToString(CultureInfo.InvariantCulture)}"), m.StartsAt, PageId, [update], ComponentsOf(m.Components),
            m.StartsAt, m.EndsAt);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public static string ComponentStatusName(ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => "operational",
        ComponentStatus.DegradedPerformance => "degraded_performance",
        ComponentStatus.PartialOutage => "partial_outage",
        ComponentStatus.MajorOutage => "major_outage",
        _ => "under_maintenance",
    };

    public static string IncidentStatusName(IncidentStatus status) => status switch
    {
        IncidentStatus.Investigating => "investigating",
        IncidentStatus.Identified => "identified",
        IncidentStatus.Monitoring => "monitoring",
        _ => "resolved",
    };

    public static string ImpactName(IncidentImpact impact) => impact switch
    {
        IncidentImpact.None => "none",
        IncidentImpact.Minor => "minor",
        IncidentImpact.Major => "major",
        _ => "critical",
    };

    public static string MaintenanceStatusName(MaintenanceStatus status) => status switch
    {
        MaintenanceStatus.Scheduled => "scheduled",
        MaintenanceStatus.InProgress => "in_progress",
        _ => "completed",
    };
}
