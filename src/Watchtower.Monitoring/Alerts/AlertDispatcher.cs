using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;

namespace Watchtower.Monitoring.Alerts;

/// <summary>
/// Delivers the outbox in batches: each pass leases due deliveries (<see cref="IDeliveryClaimer"/>)
/// and enqueues one Hangfire job per leased batch — not one job per message (Hangfire manages some
/// 100–200 jobs a second here). Every <see cref="MaintenanceEvery"/> it also writes reminders for
/// checks still down and summaries for checks that flapped, and deletes log entries older than 30
/// days in bounded batches. Safe to run on several hosts at once: claims skip each other's rows,
/// reminder and summary keys are unique.
/// </summary>
public sealed class AlertDispatcher(
    IServiceScopeFactory scopeFactory,
    IBackgroundJobClient jobs,
    IOptions<AlertOptions> options,
    IOptions<EngineOptions> engine,
    TimeProvider time,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    public static readonly TimeSpan MaintenanceEvery = TimeSpan.FromSeconds(30);

    /// <summary>Most batches leased in one pass.</summary>
    private const int MaxBatchesPerPass = 20;

    private const int DeleteBatch = 1000;

    private DateTimeOffset nextMaintenance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DispatchInterval, time);
        do
        {
            try
            {
                if (time.GetUtcNow() >= nextMaintenance)
                {
                    await MaintainAsync(stoppingToken);
                    nextMaintenance = time.GetUtcNow() + MaintenanceEvery;
                }

                await DispatchOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The loop must survive a database outage and retry on the next tick.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Alert dispatch pass failed; retrying on the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: lease what is due and enqueue a job per batch. Returns the deliveries leased.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var queue = ProbeQueues.ForLocation(engine.Value.Queues.FirstOrDefault() ?? Check.DefaultLocation);
        var total = 0;
        for (var i = 0; i < MaxBatchesPerPass; i++)
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var claimer = scope.ServiceProvider.GetRequiredService<IDeliveryClaimer>();
            var (lease, count) = await claimer.ClaimAsync(time.GetUtcNow(), settings.BatchSize, settings.LeaseDuration, cancellationToken);
            if (count == 0)
            {
                break;
            }

            jobs.Create(Job.FromExpression<AlertDeliveryJob>(job => job.RunAsync(lease, CancellationToken.None)), new EnqueuedState(queue));
            total += count;
            if (count < settings.BatchSize)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>Reminders, flapping summaries and retention.</summary>
    public async Task MaintainAsync(CancellationToken cancellationToken)
    {
        await WriteRemindersAsync(cancellationToken);
        await WriteSummariesAsync(cancellationToken);
        await WriteMaintenanceNoticesAsync(cancellationToken);
        await DeleteExpiredAsync(cancellationToken);
    }

    /// <summary>Windows that start and end by the clock: not announced once this long past their time (a dispatcher that was off tells nothing stale).</summary>
    public static readonly TimeSpan MaintenanceNoticeHorizon = TimeSpan.FromHours(6);

    /// <summary>
    /// Windows that start and end by the clock get a "started" notice once they start and an "ended"
    /// one once they end: each once (key and a unique index per window and kind), on any host.
    /// </summary>
    public async Task<int> WriteMaintenanceNoticesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = now - MaintenanceNoticeHorizon;
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
        var started = AlertEventType.MaintenanceStarted;
        var ended = AlertEventType.MaintenanceEnded;
        var due = await db.Maintenances.Include(m => m.Components)
            .Where(m => m.AutoStartEnd && m.StartsAt <= now && m.EndsAt > since
                        && ((m.EndsAt > now && m.Status != MaintenanceStatus.Completed && !db.AlertEvents.Any(e => e.MaintenanceId == m.Id && e.Type == started))
                            || (m.EndsAt <= now && !db.AlertEvents.Any(e => e.MaintenanceId == m.Id && e.Type == ended))))
            .OrderBy(m => m.Id).Take(200)
            .ToListAsync(cancellationToken);
        var written = 0;
        foreach (var maintenance in due)
        {
            var type = maintenance.EndsAt <= now ? ended : started;
            if (Subscribers.NoticeRecorder.Maintenance(db, maintenance, type, type == ended ? maintenance.EndsAt : maintenance.StartsAt) is not null)
            {
                written += await SaveOnceAsync(db, cancellationToken);
            }
        }

        return written;
    }

    /// <summary>A check down for a whole reminder interval (or several) gets one "still down" per interval passed.</summary>
    public async Task<int> WriteRemindersAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.ReminderInterval;
        if (interval <= TimeSpan.Zero)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var before = now - interval;
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
        var down = await db.Checks.AsNoTracking()
            .Where(c => c.Enabled && c.State == CheckState.Down && c.StateChangedAt != null && c.StateChangedAt <= before
                        && db.CheckChannels.Any(cc => cc.CheckId == c.Id))
            .Select(c => new { c.Id, c.TeamId, c.Name, c.StateChangedAt, c.LastMessage, c.AlertDelayMinutes })
            .ToListAsync(cancellationToken);
        var written = 0;
        foreach (var check in down)
        {
            var since = check.StateChangedAt!.Value;
            var n = (int)((now - since).Ticks / interval.Ticks);
            var key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"check:{check.Id}:{AlertEventType.CheckStillDown}:{since.UtcTicks}:{n}");
            // Only an outage that was told gets reminders (not one hidden by flapping control or the delay).
            var downKey = AlertRecorder.KeyOf(check.Id, AlertEventType.CheckDown, since);
            var told = await db.AlertEvents.AnyAsync(e => e.Key == downKey && !e.Suppressed, cancellationToken);
            if (!told || await db.AlertEvents.AnyAsync(e => e.Key == key, cancellationToken))
            {
                continue;
            }

            var alert = new AlertEvent
            {
                TeamId = check.TeamId, CheckId = check.Id, Type = AlertEventType.CheckStillDown, Key = key, At = now,
                CheckName = check.Name, State = CheckState.Down, PreviousState = CheckState.Down,
                Message = Cap($"Down for {AlertMessage.Duration(now - since)}, since {since.UtcDateTime:yyyy-MM-dd HH:mm} UTC. Last result: {check.LastMessage ?? "failed"}"),
            };
            db.AlertEvents.Add(alert);
            AlertRecorder.AddDeliveries(db, alert, await db.CheckChannels.Where(cc => cc.CheckId == check.Id).Select(cc => cc.ChannelId).ToListAsync(cancellationToken), now);
            written += await SaveOnceAsync(db, cancellationToken);
        }

        return written;
    }

    /// <summary>Suppressed down/ups whose window has passed are told in one summary per check.</summary>
    public async Task<int> WriteSummariesAsync(CancellationToken cancellationToken)
    {
        var window = options.Value.FlapWindow;
        var now = time.GetUtcNow();
        var before = now - window;
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
        var pending = await db.AlertEvents
            .Where(e => e.Suppressed && e.SummaryId == null && e.CheckId != null)
            .OrderBy(e => e.Id)
            .Take(5000)
            .ToListAsync(cancellationToken);
        var written = 0;
        foreach (var group in pending.GroupBy(e => e.CheckId!.Value))
        {
            var events = group.ToList();
            if (events.Min(e => e.At) > before)
            {
                continue; // the window is still open: more may come
            }

            var check = await db.Checks.AsNoTracking().Where(c => c.Id == group.Key).Select(c => new { c.TeamId, c.Name, c.State }).FirstOrDefaultAsync(cancellationToken);
            if (check is null)
            {
                continue;
            }

            var first = events[0];
            var downs = events.Count(e => e.Type == AlertEventType.CheckDown);
            var ups = events.Count(e => e.Type == AlertEventType.CheckRecovered);
            var summary = new AlertEvent
            {
                TeamId = check.TeamId, CheckId = group.Key, Type = AlertEventType.CheckFlapping,
                Key = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"check:{group.Key}:{AlertEventType.CheckFlapping}:{first.Id}"),
                At = now, CheckName = check.Name, State = check.State,
                Message = Cap($"Went down {downs} and came back {ups} more times since {first.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC (each not told on its own). Now: {check.State}."),
            };
            db.AlertEvents.Add(summary);
            AlertRecorder.AddDeliveries(db, summary, await db.CheckChannels.Where(cc => cc.CheckId == group.Key).Select(cc => cc.ChannelId).ToListAsync(cancellationToken), now);
            if (await SaveOnceAsync(db, cancellationToken) == 0)
            {
                continue;
            }

            var ids = events.ConvertAll(e => e.Id);
            var summaryId = summary.Id;
            await db.AlertEvents.Where(e => ids.Contains(e.Id) && e.SummaryId == null).ExecuteUpdateAsync(s => s.SetProperty(e => e.SummaryId, summaryId), cancellationToken);
            written++;
        }

        return written;
    }

    /// <summary>Deletes events (and so their deliveries) older than <see cref="AlertEvent.KeptFor"/>, a batch at a time.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - AlertEvent.KeptFor;
        var total = 0;
        int deleted;
        do
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
            var ids = await db.AlertEvents.Where(e => e.At < cutoff).OrderBy(e => e.At).Take(DeleteBatch).Select(e => e.Id).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            await db.AlertDeliveries.Where(d => ids.Contains(d.EventId)).ExecuteDeleteAsync(cancellationToken);
            deleted = await db.AlertEvents.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == DeleteBatch);

        if (total > 0)
        {
            logger.LogInformation("Deleted {Count} alert events (and their deliveries) from before {Cutoff:O}", total, cutoff);
        }

        return total;
    }

    /// <summary>Saves; a unique-key clash means another dispatcher wrote the same event first (0, and nothing kept).</summary>
    private static async Task<int> SaveOnceAsync(WatchtowerDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return 1;
        }
        catch (DbUpdateException)
        {
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList())
            {
                entry.State = EntityState.Detached;
            }

            return 0;
        }
    }

    private static string Cap(string text) => text.Length <= AlertEvent.TextMaxLength ? text : text[..(AlertEvent.TextMaxLength - 1)] + "…";
}
