using Watchtower.Data.Entities;
using Watchtower.Monitoring.State;
using Watchtower.Probes.Evaluation;

namespace Watchtower.Monitoring.Engine;

/// <summary>A run as a raw result row: the verdict only; the run's facts go on the check and its state changes.</summary>
public static class ResultRow
{
    public static CheckResult From(int checkId, DateTimeOffset at, Verdict verdict, int? latency, int? messageId)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new CheckResult
        {
            CheckId = checkId,
            CheckedAt = at,
            Status = CheckStateMachine.StateOf(verdict.Status),
            Reason = verdict.Reason,
            LatencyMs = latency,
            MessageId = messageId,
        };
    }
}
