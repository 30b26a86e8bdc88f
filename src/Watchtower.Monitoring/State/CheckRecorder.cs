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
/// narrow result row, its full facts kept on the check (and on the state change it causes), and
/// applied to the check through the state machine; an owner's pause, resume or target change goes
/// through the same machine. Everything is added to the caller's unit of work, so it is saved (or
/// lost to a concurrent change) together with the check's new state.
/// </summary>
public sealed class CheckRecorder(
    WatchtowerDbContext db,
    ResultMessages messages,
    RollupWriter rollups,
    TimeProvider time,
    ILogger<CheckRecorder> logger,
    IEnumerable<IStateChangeHook> hooks)
{
    /// <summary>Judges <paramref name="result"/> and records it against <paramref name="check"/>. Returns the verdict.</summary>
    public async Task<Verdict> RecordRunAsync(Check check, ProbeResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(result);
        var now = time.GetUtcNow();
        var verdict = CheckEvaluator.Evaluate(check.ToProbeRequest(), result, now, check.LatencyThresholdMs);
        var at = result.StartedAt == default ? now : result.StartedAt;
        var message = CheckStateMachine.Truncate(verdict.Message, Check.MessageMaxLength);
        var latency = verdict.Status == Health.Down ? null : CheckEvaluator.Latency(check.Kind, result);

        // An up run's message holds its own timings, and so does a slow one's (its latency column
        // says the rest): stored, each would be a new message. Only other runs keep theirs.
        int? messageId = verdict.Status == Health.Up || verdict.Reason == FailureReason.Slow
            ? null
            : await messages.IdOfAsync(db, message, cancellationToken);
        var row = ResultRow.From(check.Id, at, verdict, latency, messageId);
        db.CheckResults.Add(row);
        // History (hourly and daily rollups) is applied by WriteHistoryAsync, saved with the row.
        rollups.Add(check.Id, check.IntervalSeconds, at, row.Status, latency);
        var facts = ResultFacts.ToJson(result, verdict.Reason);
        var newlyExpiring = verdict.Reason == FailureReason.CertificateExpiring && result.Certificate is { } seen
            && !(check.LastReason == FailureReason.CertificateExpiring && ResultFacts.Parse(check.LastFacts)?.Certificate?.Thumbprint == seen.Thumbprint);
        check.LastFacts = facts;
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

        if (change is not null)
        {
            change.Facts = facts;
        }

        Add(check, change);
        if (newlyExpiring)
        {
            // Not on every run in the window: only when a certificate is first seen in it (the hooks key by certificate).
            foreach (var hook in hooks)
            {
                hook.OnCertificateExpiring(check, result.Certificate!, at);
            }
        }

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
