namespace Watchtower.Data.Entities;

/// <summary>
/// A check's current judged state. Stored by name, except in check_results, which stores the
/// number to stay narrow: never renumber a member.
/// </summary>
public enum CheckState
{
    /// <summary>Saved but not yet run.</summary>
    Pending = 0,
    Up = 1,
    Degraded = 2,
    Down = 3,
    /// <summary>The owner paused it; it does not run.</summary>
    Paused = 4,
}
