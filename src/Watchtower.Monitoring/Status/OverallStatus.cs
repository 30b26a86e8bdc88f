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
        return FromCounts(
            up: states.Count(s => s == CheckState.Up),
            degraded: states.Count(s => s == CheckState.Degraded),
            down: states.Count(s => s == CheckState.Down),
            listed: states.Count);
    }

    /// <summary>The same judgement from counts, for a page whose checks are counted in the database rather than loaded.</summary>
    public static OverallStatus FromCounts(int up, int degraded, int down, int listed)
    {
        var judged = up + degraded + down;
        if (judged == 0)
        {
            return new(OverallLevel.Unknown, listed == 0 ? "No services listed yet" : "Waiting for the first results");
        }

        if (down == judged)
        {
            return new(OverallLevel.MajorOutage, "Major outage");
        }

        if (down > 0)
        {
            return new(OverallLevel.PartialOutage, "Partial outage");
        }

        return degraded > 0
            ? new(OverallLevel.Degraded, "Degraded performance")
            : new(OverallLevel.Operational, "All systems operational");
    }
}
