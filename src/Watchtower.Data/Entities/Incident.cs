namespace Watchtower.Data.Entities;

/// <summary>
/// Something that went wrong, as a status page tells its readers: a title, where it stands, how bad
/// it is, the services it touches and a timeline of updates. Opened by an owner, or automatically by
/// a confirmed down of a check shown on the page (and then resolved by its recovery).
/// </summary>
public sealed class Incident
{
    public const int TitleMaxLength = 200;

    public int Id { get; set; }

    /// <summary>The team that owns it (the page's team).</summary>
    public int TeamId { get; set; }

    public int StatusPageId { get; set; }
    public StatusPage? StatusPage { get; set; }

    public required string Title { get; set; }
    public IncidentStatus Status { get; set; }
    public IncidentImpact Impact { get; set; }

    /// <summary>Kept for the owner but not shown on the public page (a false alarm, say).</summary>
    public bool Hidden { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>Opened by a check's confirmed down rather than by a person.</summary>
    public bool Automatic { get; set; }

    /// <summary>The check whose down opened it (automatic incidents); null once that check is deleted.</summary>
    public int? CheckId { get; set; }

    /// <summary>Set when an owner merged this incident into another: it is kept, hidden, and points there.</summary>
    public int? MergedIntoId { get; set; }

    public List<IncidentUpdate> Updates { get; set; } = [];
    public List<IncidentComponent> Components { get; set; } = [];

    public bool IsOpen => Status != IncidentStatus.Resolved;
}

/// <summary>Statuspage's incident statuses (the ones an incident moves through).</summary>
public enum IncidentStatus
{
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

/// <summary>Statuspage's incident impacts.</summary>
public enum IncidentImpact
{
    None,
    Minor,
    Major,
    Critical,
}

/// <summary>
/// A component's displayed state, by Statuspage's enumeration (operational, degraded_performance,
/// partial_outage, major_outage, under_maintenance), so its API maps one to one.
/// </summary>
public enum ComponentStatus
{
    Operational,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
    UnderMaintenance,
}
