using Microsoft.Extensions.Logging;
using Watchtower.Data;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Engine;
using Watchtower.Monitoring.History;
using Watchtower.Probes;
using Watchtower.Probes.Evaluation;

namespace Watchtower.Monitoring.State;

/// <summary>
/// The one place where facts become history and events: a run's result is judged, written as a
/// result row, and applied to the check through the state machine; an owner's pause, resume or
/// target change goes through the same machine. Everything is added to the caller's unit of work,
/// so it is saved (or lost to a concurrent change) together with the check's new state.
/// </summary>
public sealed class CheckRecorder(WatchtowerDbContext db, TimeProvider time, ILogger<CheckRecorder> logger, IEnumerable<IStateChangeHook> hooks, RollupWriter rollups)
{
    /// <summary>Judges <paramref name="result"/> and records it against <paramref name="check"/>. Returns the verdict.</summary>
    public Verdict RecordRun(Check check, ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(result);
        var now = time.GetUtcNow();
        var verdict = CheckEvaluator.Evaluate(check.ToProbeRequest(), result, now, check.LatencyThresholdMs);
        var at = result.StartedAt == default ? now : result.StartedAt;
        var message = CheckStateMachine.Truncate(verdict.Message, Check.MessageMaxLength);
        var latency = verdict.Status == Health.Down ? null : CheckEvaluator.Latency(check.Kind, result);
        var row = ResultRow.From(check.Id, at, verdict, message, latency, result);
        db.CheckResults.Add(row);
        rollups.Add(check.Id, check.IntervalSeconds, at, row.Status, latency); // history: applied by WriteHistoryAsync, saved with the row

        check.LastCheckedAt = at;
        check.LastLatencyMs = latency;
        check.LastReason = verdict.Reason;
        check.LastMessage = message;
        // The run is done: release its lease and schedule the next run at the check's own slot
        // (a failure is confirmed or cleared sooner when the owner set a retry interval).
        var next = Engine.Schedule.NextSlot(check.Id, check.IntervalSeconds, at);
        if (verdict.Status == Health.Down && check.RetryIntervalSeconds is { } retry && now.AddSeconds(retry) < next)
        {
            next = now.AddSeconds(retry);
        }

        check.LeaseId = null;
        check.NextRunAt = next;

        var change = CheckStateMachine.Apply(check, verdict, at);

        // The public page explains the check's state, not its latest run: while a failure is
        // being confirmed (still up) or a recovery is (still down), it keeps the sentence that
        // explains the state it shows.
        if (check.State == CheckStateMachine.StateOf(verdict.Status) || check.LastPublicMessage is null)
        {
            check.LastPublicMessage = CheckStateMachine.Truncate(verdict.PublicMessage, Check.MessageMaxLength);
        }

        Add(check, change);
        return verdict;
    }

    /// <summary>Adds the runs recorded in this unit of work to the hourly and daily rollups. Call once the runs are recorded, before saving.</summary>
    public Task WriteHistoryAsync(CancellationToken cancellationToken) => rollups.WriteAsync(cancellationToken);

    public void Pause(Check check, string reason) => Add(check, CheckStateMachine.Pause(check, time.GetUtcNow(), reason));

    public void Resume(Check check, string reason) => Add(check, CheckStateMachine.Resume(check, time.GetUtcNow(), reason));

    public void Restart(Check check, string reason) => Add(check, CheckStateMachine.Restart(check, time.GetUtcNow(), reason));

    private void Add(Check check, CheckStateChange? change)
    {
        if (change is null)
        {
            return;
        }

        db.CheckStateChanges.Add(change);
        foreach (var hook in hooks)
        {
            hook.OnStateChanged(check, change); // same unit of work: saved, or dropped, with the change
        }

        logger.LogInformation("Check {CheckId} went {From} → {To}: {Reason}", change.CheckId, change.From, change.To, change.Reason);
    }
}
