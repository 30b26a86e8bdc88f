using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.State;
using Watchtower.Probes;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// Writes probe results as they come, many per transaction: each run is judged and recorded through
/// the <see cref="CheckRecorder"/> (result row, state, lease released) and saved with the check's
/// version as the guard. A result is written only while its run's lease holds: a check re-claimed,
/// paused, edited or deleted meanwhile drops it. A save that fails for a passing reason (the
/// database restarting) is retried, from freshly loaded checks, as long as the leases hold.
/// </summary>
public sealed class ResultWriter : IAsyncDisposable
{
    /// <summary>Most results saved in one transaction.</summary>
    internal const int MaxBatch = 500;

    /// <summary>How long the first result waits for others to share its transaction.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(50);

    private readonly Channel<Pending> channel = Channel.CreateUnbounded<Pending>();
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly ILogger<ResultWriter> logger;
    private readonly Task loop;

    public ResultWriter(IServiceScopeFactory scopes, TimeProvider time, ILogger<ResultWriter> logger)
    {
        this.scopes = scopes;
        this.time = time;
        this.logger = logger;
        loop = Task.Run(LoopAsync);
    }

    /// <summary>Queues a result for writing; the task says whether it was written (false: its lease no longer held).</summary>
    public Task<bool> WriteAsync(Check check, Guid lease, ProbeResult result)
    {
        var pending = new Pending(check, lease, check.Version, result, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!channel.Writer.TryWrite(pending))
        {
            pending.Done.TrySetResult(false);
        }

        return pending.Done.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await channel.Reader.WaitToReadAsync())
        {
            try
            {
                // (An unbounded channel counts its items only when it is not single-reader.)
                if (channel.Reader.Count < MaxBatch)
                {
                    await Task.Delay(Linger);
                }

                while (batch.Count < MaxBatch && channel.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                await FlushAsync(batch);
            }
#pragma warning disable CA1031 // The writer must outlive any one batch; a lost batch's leases expire and its checks run again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Writing {Count} results failed; their checks run again when their leases expire", batch.Count);
            }
            finally
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetResult(false);
                }

                batch.Clear();
            }
        }
    }

    private async Task FlushAsync(List<Pending> batch)
    {
        // One result per check: a second one for the same check is a duplicate run.
        var items = batch.DistinctBy(p => p.Check.Id).Where(Holds).ToList();
        for (var attempt = 0; items.Count > 0; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
                var recorder = scope.ServiceProvider.GetRequiredService<CheckRecorder>();
                // Changes are detected once, before saving: the recorder and its hooks look at what
                // this unit of work added (DbSet.Local), and with automatic detection every such look
                // would compare every tracked check with its snapshot — quadratic in the batch.
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                var checks = attempt == 0 ? Attach(db, items) : await ReloadAsync(db, items);
                foreach (var (pending, check) in checks)
                {
                    await recorder.RecordRunAsync(check, pending.Result, CancellationToken.None);
                }

                await recorder.WriteHistoryAsync(CancellationToken.None);

                db.ChangeTracker.DetectChanges();
                var lost = await SaveDroppingLosersAsync(db);
                foreach (var (pending, check) in checks)
                {
                    pending.Done.TrySetResult(!lost.Contains(check.Id));
                }

                return;
            }
            catch (Exception ex) when (ex is not DbUpdateConcurrencyException && attempt < 30)
            {
                // Most likely the database is away (restart, failover). Wait and try again with
                // the checks as they are then; a lease that ran out meanwhile drops its result.
                logger.LogWarning(ex, "Writing {Count} results failed (attempt {Attempt}); retrying", items.Count, attempt + 1);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 * (1 << Math.Min(attempt, 5)))));
                items = [.. items.Where(Holds)];
            }
        }
    }

    /// <summary>True while the run's lease is unexpired, as far as this process knows.</summary>
    private bool Holds(Pending pending)
    {
        var holds = pending.Check.LeaseId == pending.Lease && time.GetUtcNow() < pending.Check.NextRunAt;
        if (!holds)
        {
            pending.Done.TrySetResult(false);
        }

        return holds;
    }

    private static List<(Pending, Check)> Attach(WatchtowerDbContext db, List<Pending> items)
    {
        // The checks as loaded when the run started, version included: the update applies only if
        // nobody (a new claim, the owner) changed the row since.
        foreach (var pending in items)
        {
            db.Checks.Attach(pending.Check);
        }

        return items.ConvertAll(p => (p, p.Check));
    }

    private async Task<List<(Pending, Check)>> ReloadAsync(WatchtowerDbContext db, List<Pending> items)
    {
        var ids = items.Select(p => p.Check.Id).ToList();
        var fresh = await db.Checks.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
        var now = time.GetUtcNow();
        var held = new List<(Pending, Check)>();
        foreach (var pending in items)
        {
            // A previous attempt may have been committed without our hearing of it: then the lease
            // is already released, and writing again would be a duplicate. And the row must still be
            // the one the run was made for: an owner's edit that kept the lease (a new target) moved
            // its version, and the old target's result must not be judged against the new settings.
            if (fresh.TryGetValue(pending.Check.Id, out var check) && check.LeaseId == pending.Lease && now < check.NextRunAt && check.Version == pending.Version)
            {
                held.Add((pending, check));
            }
            else
            {
                pending.Done.TrySetResult(false);
            }
        }

        return held;
    }

    /// <summary>
    /// Saves the batch. A check the owner paused, edited or deleted, or another claim leased, while it
    /// ran has a newer version than the one loaded: its save fails the concurrency check, and its
    /// result and state change are dropped rather than written over the newer state. The others are
    /// saved. Returns the checks dropped.
    /// </summary>
    private async Task<HashSet<int>> SaveDroppingLosersAsync(WatchtowerDbContext db)
    {
        var dropped = new HashSet<int>();
        while (true)
        {
            try
            {
                await db.SaveChangesAsync();
                return dropped;
            }
            catch (DbUpdateException ex)
            {
                // The version check of a changed check (DbUpdateConcurrencyException), or the foreign
                // key of a result whose check was deleted: either way the entries name the check.
                var lost = ex.Entries.Select(e => CheckIdOf(e.Entity)).Where(id => id != 0).ToHashSet();
                if (ex is DbUpdateConcurrencyException && lost.Count > 0)
                {
                    // EF names only the first row whose version check failed. Find every other check of
                    // the batch whose row moved on too, in one query, so that a batch with many such
                    // checks (leases run out under load) costs one more save, not one per check.
                    lost.UnionWith(await MovedOnAsync(db));
                }
                else if (ex is not DbUpdateConcurrencyException && lost.Count > 0)
                {
                    // Results have no generated key, so EF inserts many in one statement, and one
                    // deleted check's foreign key fails them all: only the checks that are gone lost.
                    // (Anything else, such as the database going away, fails this query too and is
                    // retried by the caller.)
                    lost.ExceptWith(await db.Checks.Where(c => lost.Contains(c.Id)).Select(c => c.Id).ToListAsync());
                }

                if (lost.Count == 0)
                {
                    throw;
                }

                foreach (var entry in db.ChangeTracker.Entries().ToList())
                {
                    if (lost.Contains(CheckIdOf(entry.Entity)))
                    {
                        entry.State = EntityState.Detached;
                    }
                }

                dropped.UnionWith(lost);
                logger.LogInformation("Dropped the results of checks {CheckIds}: leased again, paused, edited or deleted while they ran", lost);
            }
        }
    }

    /// <summary>The checks of this unit of work whose row no longer has the version they were loaded with.</summary>
    private static async Task<List<int>> MovedOnAsync(WatchtowerDbContext db)
    {
        var loaded = db.ChangeTracker.Entries<Check>()
            .Where(e => e.State == EntityState.Modified)
            .ToDictionary(e => e.Entity.Id, e => (uint)e.OriginalValues[nameof(Check.Version)]!);
        var ids = loaded.Keys.ToList();
        var current = await db.Checks.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Version }).ToDictionaryAsync(c => c.Id, c => c.Version);
        return ids.Where(id => !current.TryGetValue(id, out var version) || version != loaded[id]).ToList();
    }

    private static int CheckIdOf(object entity) => entity switch
    {
        Check check => check.Id,
        CheckResult row => row.CheckId,
        CheckStateChange change => change.CheckId,
        // What a state-change hook added for the check (an automatic incident opened or resolved).
        Incident incident => incident.CheckId ?? 0,
        IncidentUpdate update => update.Incident?.CheckId ?? 0,
        IncidentComponent component => component.CheckId,
        // The check's history rows, changed with its result.
        CheckRollup rollup => rollup.CheckId,
        CheckRollupCursor cursor => cursor.CheckId,
        // The alert outbox's rows for the check's change (and a delivery cancelled by its recovery).
        AlertEvent alert => alert.CheckId ?? 0,
        AlertDelivery delivery => delivery.CheckId ?? 0,
        _ => 0,
    };

    /// <summary>Stops taking results and writes the ones queued.</summary>
    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        await loop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>A run's result. <paramref name="Version"/>: the check's version when the run was loaded (a failed save may have moved the entity's).</summary>
    private sealed record Pending(Check Check, Guid Lease, uint Version, ProbeResult Result, TaskCompletionSource<bool> Done);
}
