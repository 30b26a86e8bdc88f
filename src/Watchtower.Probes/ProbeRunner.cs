using System.Collections.Frozen;
using Watchtower.Probes.Egress;

namespace Watchtower.Probes;

/// <summary>
/// Runs one probe: picks it by kind, enforces the request's timeout, measures the total time
/// and turns every exception into a failed result, so that no probe repeats any of that.
/// </summary>
public sealed class ProbeRunner(IEnumerable<IProbe> probes, TimeProvider time)
{
    private readonly FrozenDictionary<ProbeKind, IProbe> byKind = probes.ToFrozenDictionary(p => p.Kind);

    public async Task<ProbeResult> RunAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        ProbeResult result;
        if (!byKind.TryGetValue(request.Kind, out var probe))
        {
            result = ProbeResult.Failed(FailureReason.Error, $"No probe for kind {request.Kind}.");
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(request.Timeout);
            try
            {
                result = await probe.ProbeAsync(request, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result = ProbeResult.Failed(FailureReason.Timeout, $"No answer within {EgressGuard.Seconds(request.Timeout)}.");
            }
#pragma warning disable CA1031 // A probe's bug must become a failed result, not a failed batch.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                result = ProbeResult.Failed(FailureReason.Error, $"The probe failed: {ex.Message}");
            }
        }

        return result with
        {
            StartedAt = result.StartedAt == default ? startedAt : result.StartedAt,
            Timings = result.Timings with { Total = time.GetElapsedTime(started) },
        };
    }
}
