using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.State;

/// <summary>
/// The seam for history that outlives raw results (the status-page issue's hourly and daily
/// rollups): <see cref="CheckRecorder"/> hands every result it records to each registered rollup,
/// which adds its changes to the same <see cref="Data.WatchtowerDbContext"/>. They are then saved in
/// the same transaction as the result, or dropped with it when the check's save loses a race
/// (ProbeBatchJob detaches the entries of a losing check: a rollup entity must name its check there
/// too). Retention never touches them. None is registered yet.
/// </summary>
public interface IResultRollup
{
    ValueTask AddAsync(Check check, CheckResult result, CancellationToken cancellationToken);
}
