namespace Watchtower.Data.Entities;

/// <summary>A service (a check shown on the page) that an incident affects, with the state the page shows for it meanwhile.</summary>
public sealed class IncidentComponent
{
    public int IncidentId { get; set; }
    public Incident? Incident { get; set; }
    public int CheckId { get; set; }
    public Check? Check { get; set; }
    public ComponentStatus Status { get; set; }
}
