using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Retention;

/// <summary>
/// Deletes audit entries older than <see cref="AuditEvent.KeptFor"/>: once when the host starts, then
/// once a day, in batches of <see cref="BatchSize"/> rows so no statement holds locks on a large part
/// of the table. Runs on every host that runs the dispatcher; several at once only find less to
/// delete (a deleted row is gone for the others), so it is safe to run twice.
/// </summary>
/// <remarks>
/// A hosted service, not a Hangfire recurring job: the Web host may run without a Hangfire server,
/// a recurring job would need a worker serving the default queue (a private location's worker does
/// not), and Hangfire's scheduler reads the system clock, where this takes the <see cref="TimeProvider"/>.
/// </remarks>
public sealed class AuditRetention(IServiceScopeFactory scopeFactory, TimeProvider time, ILogger<AuditRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    public const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await DeleteExpiredAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A database outage must not end the loop; tomorrow's pass deletes what today's could not.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Deleting expired audit entries failed; trying again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: deletes, a batch at a time, every entry older than the retention period. Returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - AuditEvent.KeptFor;
        var total = 0;
        int deleted;
        do
        {
            // One statement per batch (DELETE … WHERE id IN (SELECT … LIMIT n)), each its own short transaction.
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
            deleted = await db.AuditEvents.Where(e => e.At < cutoff).OrderBy(e => e.At).Take(BatchSize).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);

        if (total > 0)
        {
            logger.LogInformation("Deleted {Count} audit entries from before {Cutoff:O}", total, cutoff);
        }

        return total;
    }
}
