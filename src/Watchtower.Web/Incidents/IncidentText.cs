using Watchtower.Data.Entities;

namespace Watchtower.Web.Incidents;

/// <summary>Words people read for incident and maintenance states, and the CSS class that colours them.</summary>
public static class IncidentText
{
    public static string Of(IncidentStatus status) => status switch
    {
        IncidentStatus.Investigating => "Investigating",
        IncidentStatus.Identified => "Identified",
        IncidentStatus.Monitoring => "Monitoring",
        _ => "Resolved",
    };

    public static string Hint(IncidentStatus status) => status switch
    {
        IncidentStatus.Investigating => "looking for the cause",
        IncidentStatus.Identified => "the cause is known, a fix is under way",
        IncidentStatus.Monitoring => "a fix is in place, watching the results",
        _ => "over",
    };

    public static string Of(IncidentImpact impact) => impact switch
    {
        IncidentImpact.None => "No impact",
        IncidentImpact.Minor => "Minor",
        IncidentImpact.Major => "Major",
        _ => "Critical",
    };

    public static string Of(ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => "Operational",
        ComponentStatus.DegradedPerformance => "Degraded performance",
        ComponentStatus.PartialOutage => "Partial outage",
        ComponentStatus.MajorOutage => "Major outage",
        _ => "Under maintenance",
    };

    public static string Of(MaintenanceStatus status) => status switch
    {
        MaintenanceStatus.Scheduled => "Scheduled",
        MaintenanceStatus.InProgress => "In progress",
        _ => "Completed",
    };

    /// <summary>The colour of an impact (a resolved incident is shown calm).</summary>
    public static string CssOf(IncidentImpact impact, IncidentStatus status) =>
        status == IncidentStatus.Resolved ? "impact-resolved" : $"impact-{impact.ToString().ToLowerInvariant()}";

    public static string CssOf(ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => "state-up",
        ComponentStatus.DegradedPerformance => "state-degraded",
        ComponentStatus.PartialOutage => "state-partial",
        ComponentStatus.MajorOutage => "state-down",
        _ => "state-maintenance",
    };

    /// <summary>The page-level state a component status counts as in the overall banner.</summary>
    public static CheckState AsCheckState(ComponentStatus status) => status switch
    {
        ComponentStatus.Operational => CheckState.Up,
        ComponentStatus.DegradedPerformance => CheckState.Degraded,
        _ => CheckState.Down,
    };

    public static ComponentStatus? AsComponentStatus(CheckState state) => state switch
    {
        CheckState.Up => ComponentStatus.Operational,
        CheckState.Degraded => ComponentStatus.DegradedPerformance,
        CheckState.Down => ComponentStatus.MajorOutage,
        _ => null,
    };
}
