using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.State;

/// <summary>
/// Something that follows a check's state changes in the same unit of work as the change itself:
/// the <see cref="CheckRecorder"/> calls every registered hook for each transition it writes, before
/// anything is saved, so what a hook adds to the context is saved (or dropped with a losing batch)
/// together with the check's new state. A hook must be idempotent: the same change seen twice adds
/// nothing the second time.
/// </summary>
public interface IStateChangeHook
{
    void OnStateChanged(Check check, CheckStateChange change);

    /// <summary>
    /// A run found the check's certificate within its warning (or critical) window, and the run
    /// before did not find this same certificate there: a certificate newly seen expiring. Called in
    /// the same unit of work, whether or not the state changes. Idempotent like a state change.
    /// </summary>
    void OnCertificateExpiring(Check check, Watchtower.Probes.Tls.CertificateFacts certificate, DateTimeOffset at)
    {
    }
}
