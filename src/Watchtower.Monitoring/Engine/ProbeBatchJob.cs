using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.State;
using Watchtower.Probes;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// Runs one batch of checks: probe each (bounded concurrency), record every result through the
/// recorder, and save them together. The job's arguments are ids only, and it is safe to run
/// twice. Not retried by Hangfire: the dispatcher schedules the next run anyway.
/// </summary>
public sealed class ProbeBatchJob(
    WatchtowerDbContext db,
    ProbeRunner runner,
    CheckRecorder recorder,
    IOptions<EngineOptions> options,
    ILogger<ProbeBatchJob> logger)
{
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Probe batch of {0}")]
    public async Task RunAsync(int[] checkIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkIds);
        var checks = await db.Checks
            .Where(c => checkIds.Contains(c.Id) && c.Enabled)
            .ToListAsync(cancellationToken);
        if (checks.Count == 0)
        {
            return;
        }

        var results = new ProbeResult[checks.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, checks.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.ProbeConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await runner.RunAsync(checks[i].ToProbeRequest(), ct));

        for (var i = 0; i < checks.Count; i++)
        {
            await recorder.RecordRunAsync(checks[i], results[i], cancellationToken);
        }

        await SaveDroppingLosersAsync(cancellationToken);
    }

    /// <summary>
    /// Saves the batch. A check the owner paused, edited or deleted while it ran has a newer version
    /// than the one loaded: its save fails the concurrency check, and its result and state change
    /// are dropped rather than written over the owner's change. The others are saved.
    /// </summary>
    private async Task SaveDroppingLosersAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException ex)
            {
                // The version check of a changed check (DbUpdateConcurrencyException), or the foreign
                // key of a result whose check was deleted: either way the entries name the check.
                var lost = ex.Entries.Select(e => CheckIdOf(e.Entity)).Where(id => id != 0).ToHashSet();
                if (lost.Count > 1 && ex is not DbUpdateConcurrencyException)
                {
                    // Results have no generated key, so EF inserts several in one statement, and one
                    // deleted check's foreign key fails them all: only the checks that are gone lost.
                    lost.ExceptWith(await db.Checks.Where(c => lost.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken));
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

                logger.LogInformation("Dropped the results of checks {CheckIds}: paused, edited or deleted while they ran", lost);
            }
        }
    }

    private static int CheckIdOf(object entity) => entity switch
    {
        Check check => check.Id,
        CheckResult row => row.CheckId,
        CheckStateChange change => change.CheckId,
        _ => 0,
    };
}
