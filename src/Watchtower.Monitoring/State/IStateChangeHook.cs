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
}
