using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// Claims due checks and enqueues them, one Hangfire job per leased batch, onto each location's
/// queue. Not one recurring Hangfire job per check: Hangfire's recurring scheduler is a single
/// global loop, and one job per batch amortises its per-job storage cost. Work is bounded: a
/// location gets nothing while no live worker serves it, and never more than
/// <see cref="EngineOptions.MaxInFlightPerLocation"/> checks claimed and unfinished.
/// </summary>
public sealed class CheckDispatcher(
    IServiceScopeFactory scopeFactory,
    IBackgroundJobClient jobs,
    ProbeLocations locations,
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

    /// <summary>One pass: claim what is due now for every location with a live worker, and enqueue it. Returns the number of checks enqueued.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var live = locations.Live();
        if (live.Count == 0)
        {
            return 0;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var claimer = scope.ServiceProvider.GetRequiredService<IDueCheckClaimer>();
        var inFlight = await claimer.CountLeasedAsync(time.GetUtcNow(), cancellationToken);
        var total = 0;
        foreach (var location in live.Order(StringComparer.Ordinal))
        {
            var room = settings.MaxInFlightPerLocation - inFlight.GetValueOrDefault(location);
            while (room > 0)
            {
                var request = new ClaimRequest(location, time.GetUtcNow(), Math.Min(room, settings.MaxClaimPerPass), settings.BatchSize,
                    settings.LeaseMargin, settings.CatchUpAfter, settings.MaxClaimPerPass);
                var outcome = await claimer.ClaimAsync(request, cancellationToken);
                foreach (var batch in outcome.Batches)
                {
                    var lease = batch.Lease;
                    jobs.Create(
                        Job.FromExpression<ProbeBatchJob>(job => job.RunAsync(lease, CancellationToken.None)),
                        new EnqueuedState(location));
                }

                total += outcome.Leased;
                room -= outcome.Leased;
                if (outcome.Touched > 0)
                {
                    logger.LogDebug("Location {Location}: leased {Leased} due checks, moved {Rescheduled} overdue ones to their next slot",
                        location, outcome.Leased, outcome.Rescheduled);
                }

                if (!outcome.Full(request))
                {
                    break;
                }
            }
        }

        return total;
    }
}
