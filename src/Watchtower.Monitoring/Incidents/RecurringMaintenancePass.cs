using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Incidents;

/// <summary>
/// Writes the occurrences of weekly maintenance rules ahead as real <see cref="Maintenance"/> rows, up to
/// <see cref="RecurringMaintenanceSchedule.Horizon"/>: when the host starts, then every <see cref="Interval"/>.
/// </summary>
/// <remarks>
/// Why rows and not occurrences computed in each query: every reader of windows — "under maintenance"
/// and no incidents (<see cref="AutomaticIncidents.ActiveMaintenance"/>), uptime that leaves maintenance out
/// (RollupWriter.MaintenanceWindowsAsync), the public page, the Statuspage API — stays one indexed range read
/// of <c>maintenances</c>, with no time-zone arithmetic in SQL (which SQLite could not do) and no second code path.
/// Each occurrence is keyed by (rule, local day) under a unique index, and the rule remembers how far it was written
/// (<see cref="RecurringMaintenance.MaterializedThrough"/>): a pass run twice, or by two hosts at once, adds nothing,
/// and an occurrence the owner cancelled stays cancelled. The horizon is longer than any pause of this pass.
/// A hosted service like <see cref="Retention.AuditRetention"/>, for the same reasons (no Hangfire server needed, <see cref="TimeProvider"/>).
/// </remarks>
public sealed class RecurringMaintenancePass(IServiceScopeFactory scopeFactory, TimeProvider time, ILogger<RecurringMaintenancePass> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A database outage must not end the loop; the next pass writes what this one could not (the horizon is two weeks).
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Writing recurring maintenance ahead failed; trying again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over every rule that may still occur. Returns how many occurrences it wrote.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var yesterday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1); // a local day may lag UTC's by a day
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
        var ids = await db.RecurringMaintenances.AsNoTracking().Where(r => r.LastDay == null || r.LastDay >= yesterday).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken);
        var written = 0;
        foreach (var id in ids)
        {
            db.ChangeTracker.Clear();
            var rule = await db.RecurringMaintenances.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
            if (rule is not null)
            {
                written += await WriteAheadAsync(db, rule, now, cancellationToken);
            }
        }

        return written;
    }

    /// <summary>Writes the rule's occurrences that are not yet written, through the horizon, and saves.</summary>
    public static async Task<int> WriteAheadAsync(WatchtowerDbContext db, RecurringMaintenance rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rule);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(rule.TimeZone, out var zone))
        {
            return 0;
        }

        var through = RecurringMaintenanceSchedule.DayIn(now + RecurringMaintenanceSchedule.Horizon, zone);
        if (rule.LastDay is { } last && last < through)
        {
            through = last;
        }

        var from = rule.MaterializedThrough is { } done && done >= rule.FirstDay ? done.AddDays(1) : rule.FirstDay;
        if (from > through)
        {
            return 0;
        }

        // Services that left the page since are left out; the rest are covered.
        var ruleChecks = rule.CheckIds;
        var checks = await db.StatusPageChecks.AsNoTracking().Where(pc => pc.StatusPageId == rule.StatusPageId && ruleChecks.Contains(pc.CheckId)).Select(pc => pc.CheckId).ToListAsync(cancellationToken);
        var existing = (await db.Maintenances.AsNoTracking().Where(m => m.RecurringMaintenanceId == rule.Id && m.OccurrenceOn >= from && m.OccurrenceOn <= through)
            .Select(m => m.OccurrenceOn).ToListAsync(cancellationToken)).ToHashSet();
        var written = 0;
        foreach (var (start, end, day) in RecurringMaintenanceSchedule.Occurrences(rule.Days, rule.StartTime, rule.DurationMinutes, zone, from, through))
        {
            if (existing.Contains(day) || end <= now || checks.Count == 0)
            {
                continue;
            }

            db.Maintenances.Add(new Maintenance
            {
                TeamId = rule.TeamId,
                StatusPageId = rule.StatusPageId,
                Title = rule.Title,
                Body = rule.Body,
                StartsAt = start,
                EndsAt = end,
                TimeZone = rule.TimeZone,
                AutoStartEnd = true,
                Status = MaintenanceStatus.Scheduled,
                CreatedAt = now,
                RecurringMaintenanceId = rule.Id,
                OccurrenceOn = day,
                Components = checks.ConvertAll(c => new MaintenanceComponent { CheckId = c }),
            });
            written++;
        }

        rule.MaterializedThrough = through;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another host wrote the same occurrences first (the unique key refused ours): nothing is missing.
            db.ChangeTracker.Clear();
            return 0;
        }

        return written;
    }

    /// <summary>
    /// The windows readers are shown: one-off windows, and of a weekly rule only its current or next occurrence
    /// (later ones are written ahead for the engine, not to fill the page) and its past ones.
    /// </summary>
    public static IQueryable<Maintenance> ShownToReaders(IQueryable<Maintenance> windows, WatchtowerDbContext db, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        return windows.Where(m => m.RecurringMaintenanceId == null
            || !db.Maintenances.Any(o => o.RecurringMaintenanceId == m.RecurringMaintenanceId && o.StartsAt < m.StartsAt && o.EndsAt > now && o.Status != MaintenanceStatus.Completed));
    }
}
