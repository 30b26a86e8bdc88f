namespace Watchtower.Data.Entities;

/// <summary>A service (a check shown on the page) that a maintenance window covers.</summary>
public sealed class MaintenanceComponent
{
    public int MaintenanceId { get; set; }
    public Maintenance? Maintenance { get; set; }
    public int CheckId { get; set; }
    public Check? Check { get; set; }
}
