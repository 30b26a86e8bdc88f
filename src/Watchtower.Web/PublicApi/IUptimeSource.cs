using Watchtower.Monitoring.History;

namespace Watchtower.Web.PublicApi;

/// <summary>
/// Uptime over the last 1, 7, 30 or 90 days as a percentage (0–100), as the public page computes it:
/// time up or degraded ÷ (time observed − maintenance); null with nothing observed. What the uptime
/// badges read.
/// </summary>
public interface IUptimeSource
{
    /// <summary>Each check's own figure.</summary>
    Task<IReadOnlyDictionary<int, double?>> UptimeAsync(IReadOnlyCollection<int> checkIds, int days, CancellationToken cancellationToken);

    /// <summary>The checks together: their times summed (one service down half a day of two is 75 % that day).</summary>
    Task<double?> CombinedUptimeAsync(IReadOnlyCollection<int> checkIds, int days, CancellationToken cancellationToken);
}

/// <summary>Reads the hourly and daily rollups (<see cref="Uptime"/>): two range reads on their keys, never raw results.</summary>
public sealed class RollupUptimeSource(Uptime uptime) : IUptimeSource
{
    public async Task<IReadOnlyDictionary<int, double?>> UptimeAsync(IReadOnlyCollection<int> checkIds, int days, CancellationToken cancellationToken)
    {
        var history = await uptime.ForChecksAsync(checkIds, withLatency: false, cancellationToken);
        return history.ToDictionary(kv => kv.Key, kv => kv.Value.Uptime.ForDays(days).Percent);
    }

    public async Task<double?> CombinedUptimeAsync(IReadOnlyCollection<int> checkIds, int days, CancellationToken cancellationToken)
    {
        var history = await uptime.ForChecksAsync(checkIds, withLatency: false, cancellationToken);
        return history.Values.Aggregate(default(UptimeTotals), (total, h) => total + h.Uptime.ForDays(days)).Percent;
    }
}
