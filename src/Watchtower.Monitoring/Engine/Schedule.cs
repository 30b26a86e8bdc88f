namespace Watchtower.Monitoring.Engine;

/// <summary>
/// When a check runs. Every check has its own phase within its interval, derived from its id
/// (multiplicative hashing spreads consecutive ids evenly), and runs at the slots
/// <c>phase + k × interval</c> on the Unix clock. Checks created together are therefore spread over
/// their interval, and a check that missed slots (no worker, a database outage, a pause) comes
/// back at its own next slot instead of all of them at the same instant.
/// The PostgreSQL claimer computes the same slots in SQL; <see cref="PhaseMs"/> is the formula both use.
/// </summary>
public static class Schedule
{
    /// <summary>Knuth's multiplicative hash constant (2^32 / φ): consecutive ids land far apart.</summary>
    public const long PhaseMultiplier = 2_654_435_761;

    /// <summary>
    /// An overdue check whose interval is longer than this comes back within this period (at its own
    /// phase of it), rather than waiting up to a whole long interval for its next slot.
    /// </summary>
    public static readonly TimeSpan LongestCatchUp = TimeSpan.FromMinutes(1);

    /// <summary>The check's offset within a period of <paramref name="periodMs"/> milliseconds.</summary>
    public static long PhaseMs(int checkId, long periodMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(periodMs);
        return (long)((ulong)(uint)checkId * PhaseMultiplier % (ulong)periodMs);
    }

    /// <summary>The first slot of the check strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset NextSlot(int checkId, int intervalSeconds, DateTimeOffset after) =>
        NextSlot(checkId, Math.Max(1, intervalSeconds) * 1000L, after);

    /// <summary>
    /// When a check found overdue by more than the grace runs: its next slot, or for an interval
    /// longer than <see cref="LongestCatchUp"/> its slot within that shorter period.
    /// </summary>
    public static DateTimeOffset CatchUpSlot(int checkId, int intervalSeconds, DateTimeOffset after) =>
        NextSlot(checkId, Math.Min(Math.Max(1, intervalSeconds) * 1000L, (long)LongestCatchUp.TotalMilliseconds), after);

    private static DateTimeOffset NextSlot(int checkId, long periodMs, DateTimeOffset after)
    {
        var nowMs = after.ToUnixTimeMilliseconds();
        var phase = PhaseMs(checkId, periodMs);
        var sinceSlot = ((nowMs - phase) % periodMs + periodMs) % periodMs;
        return DateTimeOffset.FromUnixTimeMilliseconds(nowMs - sinceSlot + periodMs);
    }
}
