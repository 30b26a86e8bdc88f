using System.ComponentModel.DataAnnotations;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Incidents;

/// <summary>A new incident, or an incident's details (title, impact, services, hidden); the status and first message are for a new one only.</summary>
public sealed class IncidentInput
{
    [Display(Name = "Title")]
    public string? Title { get; set; }

    [Display(Name = "Status")]
    public IncidentStatus Status { get; set; } = IncidentStatus.Investigating;

    [Display(Name = "Impact")]
    public IncidentImpact Impact { get; set; } = IncidentImpact.Minor;

    [Display(Name = "Message")]
    public string? Body { get; set; }

    [Display(Name = "Hide from the public page")]
    public bool Hidden { get; set; }

    /// <summary>One row per service shown on the page: affected or not, and the state the page shows for it meanwhile.</summary>
    public List<ComponentChoice> Components { get; set; } = [];
}

public sealed class ComponentChoice
{
    public int CheckId { get; set; }
    public bool Affected { get; set; }
    public ComponentStatus Status { get; set; } = ComponentStatus.PartialOutage;

    /// <summary>For display; filled from the database, whatever was posted.</summary>
    public string Name { get; set; } = "";
}

/// <summary>A timeline entry: the status the incident moves to and what to tell readers.</summary>
public sealed class UpdateInput
{
    [Display(Name = "Status")]
    public IncidentStatus Status { get; set; } = IncidentStatus.Identified;

    [Display(Name = "Message")]
    public string? Body { get; set; }
}

/// <summary>A maintenance window as the owner enters it: local times in a chosen IANA time zone.</summary>
public sealed class MaintenanceInput
{
    [Display(Name = "Title")]
    public string? Title { get; set; }

    [Display(Name = "Notice")]
    public string? Body { get; set; }

    [Display(Name = "Starts")]
    public DateTime? StartsAt { get; set; }

    [Display(Name = "Ends")]
    public DateTime? EndsAt { get; set; }

    [Display(Name = "Time zone")]
    public string? TimeZone { get; set; }

    [Display(Name = "Start and end automatically at these times")]
    public bool AutoStartEnd { get; set; } = true;

    /// <summary>The services (checks shown on the page) under maintenance.</summary>
    public List<int> CheckIds { get; set; } = [];

    /// <summary>Repeat the window every week (scheduling only): on <see cref="RepeatDays"/> at the start's time of day, for as long as the window above lasts.</summary>
    [Display(Name = "Repeat every week")]
    public bool Repeat { get; set; }

    [Display(Name = "On")]
    public List<DayOfWeek> RepeatDays { get; set; } = [];

    /// <summary>The last day an occurrence may start (in the window's zone); none: until stopped.</summary>
    [Display(Name = "Until")]
    public DateOnly? RepeatUntil { get; set; }
}
