namespace Watchtower.Probes;

/// <summary>
/// One probe per <see cref="ProbeKind"/>. The <see cref="ProbeRunner"/> applies the timeout,
/// measures the total time and turns exceptions into a failed result, so a probe does none of that.
/// Every socket a probe opens goes through <see cref="Egress.EgressGuard"/>.
/// </summary>
public interface IProbe
{
    ProbeKind Kind { get; }

    /// <param name="request">What to probe.</param>
    /// <param name="cancellationToken">Cancelled when the request's timeout elapses or the run is aborted.</param>
    Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken);
}
