using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Web.PublicApi;

/// <summary>
/// Uptime per check over the last whole number of days, as a percentage (0–100); null for a check
/// with nothing observed in that time. What the uptime badges read.
/// </summary>
public interface IUptimeSource
{
    Task<IReadOnlyDictionary<int, double?>> UptimeAsync(IReadOnlyCollection<int> checkIds, int days, CancellationToken cancellationToken);
}

/// <summary>
/// INTERIM — to be replaced by the rollups service (branch <c>rollups</c>) at merge: register that
/// implementation of <see cref="IUptimeSource"/> instead of this one in <c>WebSetup</c>.
/// Counts raw results in the window (one query, grouped by check, on the check_id + checked_at
/// index): runs that were up or degraded over all judged runs. It neither weighs runs by time nor
/// leaves maintenance out, and it only sees as far back as raw results are kept; the badges read it
/// through the output cache, so it runs once per page and window per cache period.
/// </summary>
public sealed class ResultCountUptimeSource(WatchtowerDbContext db, TimeProvider time) : IUptimeSource
{
    public async Task<IReadOnlyDictionary<int, double?>> UptimeAsync(IReadOnlyCollection<int> checkIds, int days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkIds);
        var since = time.GetUtcNow().AddDays(-days);
        var ids = checkIds.ToList();
        var counts = await db.CheckResults.AsNoTracking()
            .Where(r => ids.Contains(r.CheckId) && r.CheckedAt >= since)
            .GroupBy(r => r.CheckId)
            .Select(g => new
            {
                CheckId = g.Key,
                Up = g.Count(r => r.Status == CheckState.Up || r.Status == CheckState.Degraded),
                Judged = g.Count(r => r.Status == CheckState.Up || r.Status == CheckState.Degraded || r.Status == CheckState.Down),
            })
            .ToListAsync(cancellationToken);
        var result = ids.Distinct().ToDictionary(id => id, _ => (double?)null);
        foreach (var c in counts.Where(c => c.Judged > 0))
        {
            result[c.CheckId] = 100.0 * c.Up / c.Judged;
        }

        return result;
    }
}
