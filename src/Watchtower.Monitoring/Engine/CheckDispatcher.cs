using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// Claims due checks and enqueues them in batches onto each location's Hangfire queue.
/// Not one recurring Hangfire job per check: Hangfire's recurring scheduler is a single global
/// loop, and one job per batch amortises its per-job storage cost.
/// </summary>
public sealed class CheckDispatcher(
    IServiceScopeFactory scopeFactory,
    IBackgroundJobClient jobs,
    IOptions<EngineOptions> options,
    TimeProvider time,
    ILogger<CheckDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DispatchInterval, time);
        do
        {
            try
            {
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
                logger.LogWarning(ex, "Dispatch pass failed; retrying on the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: claim what is due now and enqueue it. Returns the number of checks enqueued.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var total = 0;
        while (true)
        {
            IReadOnlyList<ClaimedCheck> claimed;
            await using (var scope = scopeFactory.CreateAsyncScope())
            {
                var claimer = scope.ServiceProvider.GetRequiredService<IDueCheckClaimer>();
                claimed = await claimer.ClaimDueAsync(time.GetUtcNow(), settings.MaxClaimPerPass, cancellationToken);
            }

            foreach (var location in claimed.GroupBy(c => c.Location))
            {
                var queue = ProbeQueues.ForLocation(location.Key);
                foreach (var chunk in location.Select(c => c.Id).Chunk(settings.BatchSize))
                {
                    jobs.Create(
                        Job.FromExpression<ProbeBatchJob>(job => job.RunAsync(chunk, CancellationToken.None)),
                        new EnqueuedState(queue));
                }
            }

            total += claimed.Count;
            if (claimed.Count > 0)
            {
                logger.LogDebug("Dispatched {Count} due checks", claimed.Count);
            }

            if (claimed.Count < settings.MaxClaimPerPass)
            {
                return total;
            }
        }
    }
}
