using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.History;

/// <summary>Time totals of a period, in milliseconds.</summary>
public readonly record struct UptimeTotals(long UpMs, long DegradedMs, long DownMs, long MaintenanceMs, long ObservedMs)
{
    /// <summary>
    /// Time up ÷ (time observed − maintenance), in per cent; degraded time counts as up (the service
    /// answered, slowly or with a warning). Null when nothing was observed outside maintenance.
    /// </summary>
    public double? Percent => ObservedMs - MaintenanceMs is > 0 and var counted ? 100.0 * (UpMs + DegradedMs) / counted : null;

    public static UptimeTotals operator +(UptimeTotals a, UptimeTotals b) =>
        new(a.UpMs + b.UpMs, a.DegradedMs + b.DegradedMs, a.DownMs + b.DownMs, a.MaintenanceMs + b.MaintenanceMs, a.ObservedMs + b.ObservedMs);

    public static UptimeTotals Of(CheckRollup row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.UpMs, row.DegradedMs, row.DownMs, row.MaintenanceMs, row.ObservedMs);
    }
}

/// <summary>Uptime over the last 24 hours, 7, 30 and 90 days.</summary>
public sealed record UptimeFigures(UptimeTotals Day, UptimeTotals Week, UptimeTotals Month, UptimeTotals Quarter)
{
    public static UptimeFigures None { get; } = new(default, default, default, default);

    /// <summary>The figure for 1, 7, 30 or 90 days.</summary>
    public UptimeTotals ForDays(int days) => days switch
    {
        1 => Day,
        7 => Week,
        30 => Month,
        90 => Quarter,
        _ => throw new ArgumentOutOfRangeException(nameof(days), days, "Uptime is kept for 1, 7, 30 or 90 days."),
    };
}

/// <summary>What a day of the 90-day bar shows.</summary>
public enum DayState
{
    NoData,
    Up,
    Maintenance,
    Degraded,
    Down,
}

/// <summary>One UTC day of the bar.</summary>
public sealed record DayBar(DateOnly Day, DayState State, UptimeTotals Totals)
{
    public double? Percent => Totals.Percent;

    /// <summary>Minutes down, rounded up: a 10-second outage is a minute on the bar, not nothing.</summary>
    public int DowntimeMinutes => (int)((Totals.DownMs + 59_999) / 60_000);

    public static DayState StateOf(UptimeTotals t) =>
        t.ObservedMs == 0 ? DayState.NoData
        : t.DownMs > 0 ? DayState.Down
        : t.DegradedMs > 0 ? DayState.Degraded
        : t.MaintenanceMs > 0 ? DayState.Maintenance
        : DayState.Up;
}

/// <summary>A point of the response-time chart: one hour or one day.</summary>
public sealed record LatencyPoint(DateTimeOffset Start, int? AvgMs, int? P95Ms, int? MinMs, int? MaxMs);

/// <summary>Response times over the last 24 hours and 7 days (hourly points) and 30 days (daily points).</summary>
public sealed record LatencyHistory(IReadOnlyList<LatencyPoint> Day, IReadOnlyList<LatencyPoint> Week, IReadOnlyList<LatencyPoint> Month)
{
    public static LatencyHistory None { get; } = new([], [], []);
}

/// <summary>A check's (or a page's) history as the public page, badges and APIs show it.</summary>
public sealed record HistorySummary(UptimeFigures Uptime, IReadOnlyList<DayBar> Days, LatencyHistory Latency);

/// <summary>
/// Uptime and history from the rollups — never from raw results: per check, and per page (the sum of
/// its checks' time). Periods are UTC: the last 24 hours are the current hour and the 23 before it;
/// 7, 30 and 90 days are UTC days, today included.
/// </summary>
public sealed class Uptime(WatchtowerDbContext db, TimeProvider time)
{
    public const int BarDays = 90;

    /// <summary>"99.95%": two decimals, rounded down so that any downtime never shows as 100.00%; "–" with nothing observed.</summary>
    public static string Format(double? percent) =>
        percent is { } p ? (Math.Floor(p * 100) / 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "–";

    /// <summary>History of each check: uptime figures and 90 day bars; response times too when <paramref name="withLatency"/>.</summary>
    public async Task<IReadOnlyDictionary<int, HistorySummary>> ForChecksAsync(IReadOnlyCollection<int> checkIds, bool withLatency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkIds);
        var now = time.GetUtcNow();
        var today = RollupMath.DayOf(now);
        var hour = RollupMath.HourOf(now);
        var firstDay = today.AddDays(-(BarDays - 1));
        var dayFrom = hour.AddHours(-23);
        var hoursFrom = withLatency ? hour.AddHours(-(7 * 24 - 1)) : dayFrom;
        var ids = checkIds.Distinct().ToList();

        // Two range reads on the rollups' keys: the days of the bar, the hours of the day (and week).
        var daily = await db.DailyRollups.AsNoTracking().Where(r => ids.Contains(r.CheckId) && r.Start >= firstDay).ToListAsync(cancellationToken);
        var hourly = await db.HourlyRollups.AsNoTracking().Where(r => ids.Contains(r.CheckId) && r.Start >= hoursFrom).ToListAsync(cancellationToken);
        var dailyOf = daily.ToLookup(r => r.CheckId);
        var hourlyOf = hourly.ToLookup(r => r.CheckId);

        var result = new Dictionary<int, HistorySummary>();
        foreach (var id in ids)
        {
            var days = dailyOf[id].ToList();
            var hours = hourlyOf[id].ToList();
            result[id] = Summarize(days, hours, today, dayFrom, withLatency, hour);
        }

        return result;
    }

    /// <summary>The page's history: every check's time summed (a page with one service down half a day of two services is 75 % up that day).</summary>
    public async Task<HistorySummary> ForPageAsync(int statusPageId, CancellationToken cancellationToken)
    {
        var ids = await db.StatusPageChecks.AsNoTracking().Where(pc => pc.StatusPageId == statusPageId).Select(pc => pc.CheckId).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var today = RollupMath.DayOf(now);
        var hour = RollupMath.HourOf(now);
        var firstDay = today.AddDays(-(BarDays - 1));
        var dayFrom = hour.AddHours(-23);
        var daily = await db.DailyRollups.AsNoTracking().Where(r => ids.Contains(r.CheckId) && r.Start >= firstDay).ToListAsync(cancellationToken);
        var hourly = await db.HourlyRollups.AsNoTracking().Where(r => ids.Contains(r.CheckId) && r.Start >= dayFrom).ToListAsync(cancellationToken);
        return Summarize(daily, hourly, today, dayFrom, withLatency: false, hour);
    }

    private static HistorySummary Summarize(List<CheckDailyRollup> daily, List<CheckHourlyRollup> hourly, DateTimeOffset today, DateTimeOffset dayFrom, bool withLatency, DateTimeOffset hour)
    {
        var byDay = daily.GroupBy(r => r.Start).ToDictionary(g => g.Key, g => g.Aggregate(default(UptimeTotals), (t, r) => t + UptimeTotals.Of(r)));
        UptimeTotals Since(int n) => byDay.Where(kv => kv.Key >= today.AddDays(-(n - 1))).Aggregate(default(UptimeTotals), (t, kv) => t + kv.Value);
        var last24 = hourly.Where(r => r.Start >= dayFrom).Aggregate(default(UptimeTotals), (t, r) => t + UptimeTotals.Of(r));
        var figures = new UptimeFigures(last24, Since(7), Since(30), Since(BarDays));
        var bars = Enumerable.Range(0, BarDays).Select(i => today.AddDays(-(BarDays - 1 - i))).Select(d =>
        {
            var totals = byDay.GetValueOrDefault(d);
            return new DayBar(DateOnly.FromDateTime(d.UtcDateTime), DayBar.StateOf(totals), totals);
        }).ToList();
        if (!withLatency)
        {
            return new HistorySummary(figures, bars, LatencyHistory.None);
        }

        var hours = hourly.GroupBy(r => r.Start).ToDictionary(g => g.Key, g => Point(g.Key, g));
        var days = daily.GroupBy(r => r.Start).ToDictionary(g => g.Key, g => Point(g.Key, g));
        List<LatencyPoint> Series(Dictionary<DateTimeOffset, LatencyPoint> points, DateTimeOffset last, int count, TimeSpan step) =>
            Enumerable.Range(0, count).Select(i => last - (step * (count - 1 - i))).Select(s => points.GetValueOrDefault(s) ?? new LatencyPoint(s, null, null, null, null)).ToList();
        var latency = new LatencyHistory(
            Series(hours, hour, 24, TimeSpan.FromHours(1)),
            Series(hours, hour, 7 * 24, TimeSpan.FromHours(1)),
            Series(days, today, 30, TimeSpan.FromDays(1)));
        return new HistorySummary(figures, bars, latency);
    }

    /// <summary>Response times of rows (one check's, or several checks' at the same time) merged.</summary>
    public static LatencyPoint Point(DateTimeOffset start, IEnumerable<CheckRollup> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var buckets = new int[LatencyHistogram.Count];
        long count = 0, sum = 0;
        int? min = null, max = null;
        foreach (var r in rows)
        {
            if (r.LatencyCount == 0)
            {
                continue;
            }

            count += r.LatencyCount;
            sum += r.LatencySumMs;
            min = min is { } a && r.LatencyMinMs is { } b ? Math.Min(a, b) : min ?? r.LatencyMinMs;
            max = max is { } c && r.LatencyMaxMs is { } d ? Math.Max(c, d) : max ?? r.LatencyMaxMs;
            LatencyHistogram.Merge(buckets, r.LatencyBuckets);
        }

        return count == 0
            ? new LatencyPoint(start, null, null, null, null)
            : new LatencyPoint(start, (int)Math.Round((double)sum / count), LatencyHistogram.Quantile(buckets, 0.95, min, max), min, max);
    }
}
