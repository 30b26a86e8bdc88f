using Microsoft.EntityFrameworkCore;
using Watchtower.Data;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// The embedded store has one process and one writer, so a read-then-update inside a transaction
/// is enough; SQLite serialises writers. Saving through EF bumps each check's version, so a batch
/// still holding an older lease loses its write.
/// </summary>
internal sealed class SqliteDueCheckClaimer(WatchtowerDbContext db) : IDueCheckClaimer
{
    public async Task<ClaimOutcome> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var late = request.Now - request.CatchUpAfter;
        // Due ones up to the limit, and overdue ones (moved, not run) up to their own limit.
        var due = await db.Checks
            .Where(c => c.Enabled && c.Location == request.Location && c.NextRunAt <= request.Now && c.NextRunAt >= late)
            .OrderBy(c => c.NextRunAt)
            .Take(request.Limit)
            .ToListAsync(cancellationToken);
        due.AddRange(await db.Checks
            .Where(c => c.Enabled && c.Location == request.Location && c.NextRunAt < late)
            .OrderBy(c => c.NextRunAt)
            .Take(request.LateLimit)
            .ToListAsync(cancellationToken));
        var batches = new List<LeasedBatch>();
        var rescheduled = 0;
        foreach (var check in due)
        {
            if (check.NextRunAt < late)
            {
                check.LeaseId = null;
                check.NextRunAt = Schedule.CatchUpSlot(check.Id, check.IntervalSeconds, request.Now);
                rescheduled++;
                continue;
            }

            if (batches.Count == 0 || batches[^1].Count == request.BatchSize)
            {
                batches.Add(new LeasedBatch(Guid.NewGuid(), 0));
            }

            check.LeaseId = batches[^1].Lease;
            check.NextRunAt = request.Now + TimeSpan.FromSeconds(check.TimeoutSeconds) + request.LeaseMargin;
            batches[^1] = batches[^1] with { Count = batches[^1].Count + 1 };
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new ClaimOutcome(batches, rescheduled);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountLeasedAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Checks
            .Where(c => c.LeaseId != null && c.NextRunAt > now)
            .GroupBy(c => c.Location)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, cancellationToken);
}
