using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Watchtower.Data;
using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.History;

/// <summary>
/// Deletes hourly rollups older than <see cref="CheckHourlyRollup.KeptFor"/> (daily ones are kept for
/// ever): when the host starts, then every hour, <see cref="BatchSize"/> rows per statement so no
/// statement locks much of the table. Safe to run on several hosts at once (see AuditRetention).
/// </summary>
public sealed class RollupRetention(IServiceScopeFactory scopeFactory, TimeProvider time, ILogger<RollupRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public const int BatchSize = 5000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await DeleteExpiredAsync(BatchSize, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A database outage must not end the loop; the next pass deletes what this one could not.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Deleting expired hourly rollups failed; trying again in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: deletes, <paramref name="batchSize"/> rows at a time, every hourly row older than the retention period. Returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(int batchSize, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - CheckHourlyRollup.KeptFor;
        var total = 0;
        int deleted;
        do
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WatchtowerDbContext>();
            deleted = await db.HourlyRollups.Where(r => r.Start < cutoff).OrderBy(r => r.Start).Take(batchSize).ExecuteDeleteAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == batchSize);

        if (total > 0)
        {
            logger.LogInformation("Deleted {Count} hourly rollups from before {Cutoff:O}", total, cutoff);
        }

        return total;
    }
}
