using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.History;

/// <summary>What a rebuild did.</summary>
public sealed record RebuildReport(int Checks, int Results, int HourlyRows, int DailyRows);

/// <summary>
/// Recomputes rollups from the raw results still held (<c>Watchtower.Worker rollups rebuild [--days N] [--check ID]</c>),
/// with the same arithmetic as the live recorder (<see cref="RollupMath"/>), so a rebuild of rows the
/// recorder kept changes nothing. Per check, whole UTC days are replaced from the first day whose raw
/// results are all still held (the check's first day, or the day after the oldest held result);
/// older rows are kept as they are. The run before that day seeds the state that holds into it.
/// Each check is one transaction; a live batch writing the same check meanwhile makes one of the two
/// lose on the cursor's version (the batch's result is dropped and runs again, or the rebuild of
/// that check is repeated).
/// </summary>
public sealed class RollupRebuild(WatchtowerDbContext db, TimeProvider time, ILogger<RollupRebuild> logger)
{
    public async Task<RebuildReport> RebuildAsync(int? days, int? checkId, CancellationToken cancellationToken)
    {
        if (days is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, "Rebuild at least one day.");
        }

        var today = RollupMath.DayOf(time.GetUtcNow());
        var requested = days is { } n ? today.AddDays(-(n - 1)) : DateTimeOffset.MinValue;
        var checks = await db.Checks.AsNoTracking().Where(c => checkId == null || c.Id == checkId).OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.IntervalSeconds, c.CreatedAt }).ToListAsync(cancellationToken);
        var report = new RebuildReport(0, 0, 0, 0);
        foreach (var check in checks)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var one = await db.InTransactionAsync(ct => RebuildCheckAsync(check.Id, check.IntervalSeconds, check.CreatedAt, requested, ct), cancellationToken);
                    report = new RebuildReport(report.Checks + (one.Checks), report.Results + one.Results, report.HourlyRows + one.HourlyRows, report.DailyRows + one.DailyRows);
                    break;
                }
                catch (DbUpdateException) when (attempt < 5)
                {
                    // A live batch wrote this check meanwhile; start this check again from what is stored now.
                    logger.LogInformation("Rollups of check {CheckId} changed while being rebuilt; rebuilding it again", check.Id);
                }
            }
        }

        logger.LogInformation("Rebuilt rollups of {Checks} checks from {Results} results: {Hours} hourly and {Days} daily rows", report.Checks, report.Results, report.HourlyRows, report.DailyRows);
        return report;
    }

    private async Task<RebuildReport> RebuildCheckAsync(int checkId, int intervalSeconds, DateTimeOffset createdAt, DateTimeOffset requested, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var cursor = await db.RollupCursors.SingleOrDefaultAsync(c => c.CheckId == checkId, ct);
        var results = db.CheckResults.AsNoTracking().Where(r => r.CheckId == checkId);
        var oldest = await results.OrderBy(r => r.CheckedAt).Select(r => (DateTimeOffset?)r.CheckedAt).FirstOrDefaultAsync(ct);
        if (oldest is null)
        {
            return new RebuildReport(0, 0, 0, 0);
        }

        // The oldest held day is whole only if the check began on it; otherwise its start was pruned.
        var firstWhole = RollupMath.DayOf(oldest.Value);
        if (createdAt < firstWhole)
        {
            firstWhole = firstWhole.AddDays(1);
        }

        var from = requested > firstWhole ? requested : firstWhole;
        var seed = await results.Where(r => r.CheckedAt < from).OrderByDescending(r => r.CheckedAt)
            .Select(r => new { r.CheckedAt, r.Status }).FirstOrDefaultAsync(ct);
        RollupPosition? position = seed is null ? null : new RollupPosition(RollupMath.Truncate(seed.CheckedAt), seed.Status);

        var to = await results.OrderByDescending(r => r.CheckedAt).Select(r => r.CheckedAt).FirstAsync(ct);
        var windows = (await RollupWriter.MaintenanceWindowsAsync(db, [checkId], position?.At ?? from, to, ct)).GetValueOrDefault(checkId) ?? [];

        await db.HourlyRollups.Where(r => r.CheckId == checkId && r.Start >= from).ExecuteDeleteAsync(ct);
        await db.DailyRollups.Where(r => r.CheckId == checkId && r.Start >= from).ExecuteDeleteAsync(ct);

        var hours = new Dictionary<DateTimeOffset, CheckHourlyRollup>();
        var daysRows = new Dictionary<DateTimeOffset, CheckDailyRollup>();
        CheckRollup RowOf(bool hourly, DateTimeOffset start) => hourly
            ? hours.TryGetValue(start, out var h) ? h : hours[start] = new CheckHourlyRollup { CheckId = checkId, Start = start }
            : daysRows.TryGetValue(start, out var d) ? d : daysRows[start] = new CheckDailyRollup { CheckId = checkId, Start = start };

        var count = 0;
        await foreach (var r in results.Where(r => r.CheckedAt >= from).OrderBy(r => r.CheckedAt).Select(r => new { r.CheckedAt, r.Status, r.LatencyMs }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (RollupMath.Apply(new RunSample(checkId, r.CheckedAt, r.Status, r.LatencyMs), intervalSeconds, position, windows, RowOf, from) is { } next)
            {
                position = next;
                count++;
            }
        }

        db.HourlyRollups.AddRange(hours.Values);
        db.DailyRollups.AddRange(daysRows.Values);
        if (position is { } last)
        {
            if (cursor is null)
            {
                db.RollupCursors.Add(new CheckRollupCursor { CheckId = checkId, LastAt = last.At, LastStatus = last.Status });
            }
            else
            {
                cursor.LastAt = last.At;
                cursor.LastStatus = last.Status;
                cursor.Version++;
            }
        }

        await db.SaveChangesAsync(ct);
        return new RebuildReport(1, count, hours.Count, daysRows.Count);
    }
}
