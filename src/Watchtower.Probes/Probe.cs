namespace Watchtower.Probes;

/// <summary>
/// The typed half of a probe: it receives its own kind's settings and the run's budget. The
/// <see cref="ProbeRunner"/> enforces that budget, measures the total time and turns exceptions into
/// a failed result.
/// </summary>
public abstract class Probe<TSettings>(ProbeKind kind) : IProbe where TSettings : class, IKindSettings
{
    public ProbeKind Kind => kind;

    public Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProbeAsync(request.SettingsAs<TSettings>(), request.Timeout, cancellationToken);
    }

    /// <param name="settings">The check's settings.</param>
    /// <param name="timeout">The whole run's budget (also the connect budget, shared among a host's addresses).</param>
    /// <param name="cancellationToken">Cancelled when the budget is spent or the run is aborted.</param>
    protected abstract Task<ProbeResult> ProbeAsync(TSettings settings, TimeSpan timeout, CancellationToken cancellationToken);
}
