using Microsoft.EntityFrameworkCore;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.History;

/// <summary>
/// Keeps the hourly and daily rollups as results are written: the recorder hands it each run, and
/// before the unit of work is saved <see cref="WriteAsync"/> loads the touched rows, cursors and
/// maintenance windows in a few queries and adds the runs to them — in the same transaction as the
/// result rows. A run not newer than its check's cursor adds nothing, so a batch recorded twice
/// counts once. Everything it changes carries the check's id: a batch that drops a check's result
/// (a lost race) drops its rollup changes with it, and the cursor's version keeps two writers of one
/// check (a live batch, a rebuild) from both winning.
/// </summary>
public sealed class RollupWriter(WatchtowerDbContext db)
{
    private List<(RunSample Run, int IntervalSeconds)> pending = [];

    /// <summary>Queues a run; it is applied by <see cref="WriteAsync"/>.</summary>
    public void Add(int checkId, int intervalSeconds, DateTimeOffset at, CheckState status, int? latencyMs) =>
        pending.Add((new RunSample(checkId, at, status, latencyMs), intervalSeconds));

    /// <summary>Applies the queued runs to the tracked rollup rows (the caller saves).</summary>
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var runs = pending.OrderBy(p => p.Run.CheckId).ThenBy(p => p.Run.At).ToList();
        pending = [];
        var ids = runs.Select(r => r.Run.CheckId).Distinct().ToList();
        // Rows added earlier in this unit of work (and not saved yet) are found in Local, not by the queries.
        var cursors = (await db.RollupCursors.Where(c => ids.Contains(c.CheckId)).ToListAsync(cancellationToken))
            .Concat(db.RollupCursors.Local.Where(c => ids.Contains(c.CheckId)))
            .DistinctBy(c => c.CheckId).ToDictionary(c => c.CheckId);

        // The span the runs reach back to: their own hours, and the spans since each check's last run.
        var from = runs.Min(r => RollupMath.Truncate(r.Run.At));
        foreach (var (run, interval) in runs)
        {
            if (cursors.TryGetValue(run.CheckId, out var c) && RollupMath.SpanBefore(new RollupPosition(c.LastAt, c.LastStatus), RollupMath.Truncate(run.At), interval) is { } span && span.Start < from)
            {
                from = span.Start;
            }
        }

        var to = runs.Max(r => RollupMath.Truncate(r.Run.At));
        var hourFrom = RollupMath.HourOf(from);
        var dayFrom = RollupMath.DayOf(from);
        var hours = (await db.HourlyRollups.Where(r => ids.Contains(r.CheckId) && r.Start >= hourFrom && r.Start <= to).ToListAsync(cancellationToken))
            .Concat(db.HourlyRollups.Local).DistinctBy(r => (r.CheckId, r.Start)).ToDictionary(r => (r.CheckId, r.Start));
        var days = (await db.DailyRollups.Where(r => ids.Contains(r.CheckId) && r.Start >= dayFrom && r.Start <= to).ToListAsync(cancellationToken))
            .Concat(db.DailyRollups.Local).DistinctBy(r => (r.CheckId, r.Start)).ToDictionary(r => (r.CheckId, r.Start));
        var windows = await MaintenanceWindowsAsync(db, ids, from, to, cancellationToken);

        foreach (var group in runs.GroupBy(r => r.Run.CheckId))
        {
            var checkId = group.Key;
            cursors.TryGetValue(checkId, out var cursor);
            RollupPosition? position = cursor is null ? null : new RollupPosition(cursor.LastAt, cursor.LastStatus);
            var own = windows.TryGetValue(checkId, out var w) ? w : [];
            CheckRollup RowOf(bool hourly, DateTimeOffset start)
            {
                if (hourly)
                {
                    if (!hours.TryGetValue((checkId, start), out var hour))
                    {
                        hours[(checkId, start)] = hour = new CheckHourlyRollup { CheckId = checkId, Start = start };
                        db.HourlyRollups.Add(hour);
                    }

                    return hour;
                }

                if (!days.TryGetValue((checkId, start), out var day))
                {
                    days[(checkId, start)] = day = new CheckDailyRollup { CheckId = checkId, Start = start };
                    db.DailyRollups.Add(day);
                }

                return day;
            }

            var moved = false;
            foreach (var (run, interval) in group)
            {
                if (RollupMath.Apply(run, interval, position, own, RowOf) is { } next)
                {
                    position = next;
                    moved = true;
                }
            }

            if (!moved)
            {
                continue;
            }

            if (cursor is null)
            {
                db.RollupCursors.Add(new CheckRollupCursor { CheckId = checkId, LastAt = position!.Value.At, LastStatus = position.Value.Status });
            }
            else
            {
                cursor.LastAt = position!.Value.At;
                cursor.LastStatus = position.Value.Status;
                cursor.Version++;
            }
        }
    }

    /// <summary>
    /// The maintenance windows of the checks that overlap [from, to], as history counts them: the
    /// planned window of an automatic one, the window an owner started and completed by hand (the
    /// owner's start and complete move its times); a hand-run window never started does not count.
    /// </summary>
    public static async Task<Dictionary<int, List<TimeWindow>>> MaintenanceWindowsAsync(
        WatchtowerDbContext db, IReadOnlyCollection<int> checkIds, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.MaintenanceComponents.AsNoTracking()
            .Where(mc => checkIds.Contains(mc.CheckId) && mc.Maintenance!.StartsAt <= to && mc.Maintenance.EndsAt > from
                         && (mc.Maintenance.AutoStartEnd || mc.Maintenance.Status != MaintenanceStatus.Scheduled))
            .Select(mc => new { mc.CheckId, mc.Maintenance!.StartsAt, mc.Maintenance.EndsAt })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.CheckId)
            .ToDictionary(g => g.Key, g => g.Select(r => new TimeWindow(RollupMath.Truncate(r.StartsAt), RollupMath.Truncate(r.EndsAt))).ToList());
    }
}
