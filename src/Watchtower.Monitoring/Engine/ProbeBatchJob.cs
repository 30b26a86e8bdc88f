using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// The Hangfire job of one leased batch: its only argument is the lease id, and it hands the
/// checks still holding that lease to this process's <see cref="ProbeEngine"/>. It returns once the
/// probes are started, so a Hangfire worker thread is held only while the engine is full, never for
/// a slow target's timeout. A job that runs late, twice, or after its lease passed to another
/// claim finds no check holding its lease and does nothing. Not retried by Hangfire: an expired
/// lease makes its checks due again anyway.
/// </summary>
public sealed class ProbeBatchJob(ProbeEngine engine)
{
    [AutomaticRetry(Attempts = 0)]
    [ShortExpiry]
    [JobDisplayName("Probe batch {0}")]
    public async Task RunAsync(Guid lease, CancellationToken cancellationToken) =>
        // Off Hangfire's worker: Hangfire 1.8 runs a job under its own synchronization context,
        // whose posted continuations run only while the job is being waited on. The probes outlive
        // the job, so they must not capture it (they would never resume).
        await Task.Run(() => engine.StartLeaseAsync(lease, cancellationToken), cancellationToken);

    /// <summary>
    /// A finished probe job is kept 5 minutes, not Hangfire's default day: it only says that a batch
    /// was started (the results are the record), and at tens of thousands of checks even an hour's
    /// jobs weigh more per result than the result itself (about 5 KB a job with its states and
    /// indexes; the expiration manager runs every minute, see CreatePostgresStorage).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method)]
    private sealed class ShortExpiryAttribute : JobFilterAttribute, IApplyStateFilter
    {
        public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction) =>
            context.JobExpirationTimeout = TimeSpan.FromMinutes(5);

        public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
        {
        }
    }
}
