namespace Watchtower.Data.Entities;

/// <summary>A check's current judged state. Stored by name.</summary>
public enum CheckState
{
    /// <summary>Saved but not yet run.</summary>
    Pending = 0,
    Up,
    Degraded,
    Down,
    /// <summary>The owner paused it; it does not run.</summary>
    Paused,
}
