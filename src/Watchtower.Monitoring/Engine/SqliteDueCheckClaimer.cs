using Microsoft.EntityFrameworkCore;
using Watchtower.Data;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// The embedded store has one process and one writer, so a read-then-update inside a
/// transaction is enough; SQLite serialises writers.
/// </summary>
internal sealed class SqliteDueCheckClaimer(WatchtowerDbContext db) : IDueCheckClaimer
{
    public async Task<IReadOnlyList<ClaimedCheck>> ClaimDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Checks
            .Where(c => c.Enabled && c.NextRunAt <= now)
            .OrderBy(c => c.NextRunAt)
            .Take(limit)
            .ToListAsync(cancellationToken);
        foreach (var check in due)
        {
            check.NextRunAt = NextRun(check.NextRunAt, check.IntervalSeconds, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return due.ConvertAll(c => new ClaimedCheck(c.Id, c.Location));
    }

    /// <summary>Keep the check's cadence, but never schedule a burst of catch-up runs after downtime.</summary>
    internal static DateTimeOffset NextRun(DateTimeOffset previous, int intervalSeconds, DateTimeOffset now)
    {
        var interval = TimeSpan.FromSeconds(intervalSeconds);
        var onCadence = previous + interval;
        return onCadence > now ? onCadence : now + interval;
    }
}
