namespace Watchtower.Data.Entities;

/// <summary>
/// A check's history over one UTC hour or day, upserted by the recorder as results are written (and
/// rebuilt from raw results by <c>rollups rebuild</c>). Times are in milliseconds and time-weighted:
/// a run's state holds until the next run, for at most twice the check's interval. Time inside a
/// maintenance window is counted as maintenance only, never as up, degraded or down.
/// </summary>
public abstract class CheckRollup
{
    public int CheckId { get; set; }

    /// <summary>Start of the UTC hour or day.</summary>
    public DateTimeOffset Start { get; set; }

    public int RunsUp { get; set; }
    public int RunsDegraded { get; set; }
    public int RunsDown { get; set; }

    public long UpMs { get; set; }
    public long DegradedMs { get; set; }
    public long DownMs { get; set; }
    public long MaintenanceMs { get; set; }

    /// <summary>Time covered by runs: up + degraded + down + maintenance.</summary>
    public long ObservedMs { get; set; }

    /// <summary>Runs that measured a latency (a down run measures none).</summary>
    public int LatencyCount { get; set; }
    public long LatencySumMs { get; set; }
    public int? LatencyMinMs { get; set; }
    public int? LatencyMaxMs { get; set; }

    /// <summary>Counts of latencies per fixed log-spaced bucket (see LatencyHistogram in Monitoring): where p95 comes from.</summary>
    public int[] LatencyBuckets { get; set; } = [];
}

/// <summary>One UTC hour of a check's history; kept for <see cref="KeptFor"/>.</summary>
public sealed class CheckHourlyRollup : CheckRollup
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(90);
}

/// <summary>One UTC day of a check's history; kept for ever (a row a day per check).</summary>
public sealed class CheckDailyRollup : CheckRollup;

/// <summary>
/// Where a check's rollups stand: its last rolled-up run. A result contributes only when it is newer,
/// so a batch recorded twice adds nothing the second time; the span from this run to the next one
/// is credited to this run's state.
/// </summary>
public sealed class CheckRollupCursor
{
    public int CheckId { get; set; }
    public DateTimeOffset LastAt { get; set; }
    public CheckState LastStatus { get; set; }

    /// <summary>Bumped on every change: two writers (a live batch and a rebuild) never both win.</summary>
    public int Version { get; set; }
}
