using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Status;

public enum OverallLevel
{
    Unknown,
    Operational,
    Degraded,
    PartialOutage,
    MajorOutage,
    /// <summary>Services are in a maintenance window and nothing else is wrong.</summary>
    Maintenance,
}

/// <summary>A page's overall state from its checks' states (paused and pending checks do not count).</summary>
public sealed record OverallStatus(OverallLevel Level, string Text)
{
    public string CssClass => Level switch
    {
        OverallLevel.Operational => "overall-up",
        OverallLevel.Degraded => "overall-degraded",
        OverallLevel.PartialOutage => "overall-partial",
        OverallLevel.MajorOutage => "overall-major",
        OverallLevel.Maintenance => "overall-maintenance",
        _ => "overall-unknown",
    };

    public static OverallStatus UnderMaintenance { get; } = new(OverallLevel.Maintenance, "Under maintenance");

    public static OverallStatus From(IReadOnlyCollection<CheckState> states)
    {
        ArgumentNullException.ThrowIfNull(states);
        var judged = states.Where(s => s is CheckState.Up or CheckState.Degraded or CheckState.Down).ToList();
        if (judged.Count == 0)
        {
            return new(OverallLevel.Unknown, states.Count == 0 ? "No services listed yet" : "Waiting for the first results");
        }

        var down = judged.Count(s => s == CheckState.Down);
        if (down == judged.Count)
        {
            return new(OverallLevel.MajorOutage, "Major outage");
        }

        if (down > 0)
        {
            return new(OverallLevel.PartialOutage, "Partial outage");
        }

        return judged.Any(s => s == CheckState.Degraded)
            ? new(OverallLevel.Degraded, "Degraded performance")
            : new(OverallLevel.Operational, "All systems operational");
    }
}
