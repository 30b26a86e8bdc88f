using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.History;

/// <summary>One run as history sees it: when, the run's own state, its latency.</summary>
public readonly record struct RunSample(int CheckId, DateTimeOffset At, CheckState Status, int? LatencyMs);

/// <summary>A span of time [Start, End).</summary>
public readonly record struct TimeWindow(DateTimeOffset Start, DateTimeOffset End);

/// <summary>Where a check's rollups stand: its last rolled-up run.</summary>
public readonly record struct RollupPosition(DateTimeOffset At, CheckState Status);

/// <summary>
/// The one piece of arithmetic both the live recorder and the rebuild use, so they agree to the
/// millisecond. A run adds itself to the runs and latency of its hour and day; the span since the
/// previous run (capped at twice the interval: a silent check is not observed) is credited to the
/// previous run's state, split at hour boundaries, and whatever of it lies in a maintenance window
/// is credited to maintenance instead.
/// </summary>
public static class RollupMath
{
    /// <summary>How long a run's state is taken to hold, in intervals, when no next run comes.</summary>
    public const int HoldIntervals = 2;

    /// <summary>Times are taken to the millisecond: PostgreSQL keeps microseconds, .NET ticks; both agree on milliseconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    public static DateTimeOffset HourOf(DateTimeOffset at) => new(at.UtcDateTime.Date.AddHours(at.UtcDateTime.Hour), TimeSpan.Zero);

    public static DateTimeOffset DayOf(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>The span that <paramref name="run"/> closes: from the previous run to it, capped; null when there is none.</summary>
    public static TimeWindow? SpanBefore(RollupPosition? previous, DateTimeOffset at, int intervalSeconds)
    {
        if (previous is not { } p || at <= p.At)
        {
            return null;
        }

        var cap = p.At.AddSeconds((double)HoldIntervals * Math.Max(1, intervalSeconds));
        return new TimeWindow(p.At, at < cap ? at : cap);
    }

    /// <summary>
    /// Applies <paramref name="run"/> after <paramref name="previous"/>. Returns the new position, or
    /// null when the run is not newer than the previous one (already counted: it adds nothing).
    /// Contributions before <paramref name="notBefore"/> are left out (a rebuild keeps older rows).
    /// </summary>
    public static RollupPosition? Apply(
        RunSample run, int intervalSeconds, RollupPosition? previous, IReadOnlyList<TimeWindow> maintenance,
        Func<bool, DateTimeOffset, CheckRollup> rowOf, DateTimeOffset notBefore = default)
    {
        ArgumentNullException.ThrowIfNull(maintenance);
        ArgumentNullException.ThrowIfNull(rowOf);
        var at = Truncate(run.At);
        if (previous is { } p && at <= p.At)
        {
            return null;
        }

        if (SpanBefore(previous, at, intervalSeconds) is { } span)
        {
            var start = span.Start < notBefore ? notBefore : span.Start;
            while (start < span.End)
            {
                var hourEnd = HourOf(start).AddHours(1);
                var end = hourEnd < span.End ? hourEnd : span.End;
                var total = Ms(end - start);
                var inMaintenance = Math.Min(total, Overlap(maintenance, start, end));
                foreach (var row in new[] { rowOf(true, HourOf(start)), rowOf(false, DayOf(start)) })
                {
                    row.ObservedMs += total;
                    row.MaintenanceMs += inMaintenance;
                    switch (previous!.Value.Status)
                    {
                        case CheckState.Up:
                            row.UpMs += total - inMaintenance;
                            break;
                        case CheckState.Degraded:
                            row.DegradedMs += total - inMaintenance;
                            break;
                        default:
                            row.DownMs += total - inMaintenance;
                            break;
                    }
                }

                start = end;
            }
        }

        if (at >= notBefore)
        {
            foreach (var row in new[] { rowOf(true, HourOf(at)), rowOf(false, DayOf(at)) })
            {
                switch (run.Status)
                {
                    case CheckState.Up:
                        row.RunsUp++;
                        break;
                    case CheckState.Degraded:
                        row.RunsDegraded++;
                        break;
                    default:
                        row.RunsDown++;
                        break;
                }

                if (run.LatencyMs is { } latency)
                {
                    row.LatencyCount++;
                    row.LatencySumMs += latency;
                    row.LatencyMinMs = row.LatencyMinMs is { } min && min <= latency ? min : latency;
                    row.LatencyMaxMs = row.LatencyMaxMs is { } max && max >= latency ? max : latency;
                    row.LatencyBuckets = LatencyHistogram.Add(row.LatencyBuckets, latency);
                }
            }
        }

        return new RollupPosition(at, run.Status);
    }

    /// <summary>Milliseconds of [start, end) covered by the windows (overlapping windows count once).</summary>
    public static long Overlap(IReadOnlyList<TimeWindow> windows, DateTimeOffset start, DateTimeOffset end)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var cut = windows
            .Select(w => new TimeWindow(w.Start > start ? w.Start : start, w.End < end ? w.End : end))
            .Where(w => w.Start < w.End)
            .OrderBy(w => w.Start)
            .ToList();
        long total = 0;
        var reached = start;
        foreach (var w in cut)
        {
            var from = w.Start > reached ? w.Start : reached;
            if (w.End > from)
            {
                total += Ms(w.End - from);
                reached = w.End;
            }
        }

        return total;
    }

    private static long Ms(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMillisecond;
}
