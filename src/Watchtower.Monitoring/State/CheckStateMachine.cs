using Watchtower.Data.Entities;
using Watchtower.Probes.Evaluation;

namespace Watchtower.Monitoring.State;

/// <summary>
/// Every change of a check's state, in one place: a run's verdict (with confirmation — down only
/// after <see cref="Check.FailureThreshold"/> failures in a row, up again after
/// <see cref="Check.RecoveryThreshold"/> successes), pause, resume, and a restart when the owner
/// changes what the check looks at. Each returns the transition it made, if any; the
/// <see cref="CheckRecorder"/> writes it.
/// </summary>
public static class CheckStateMachine
{
    public static CheckStateChange? Apply(Check check, Verdict verdict, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(verdict);
        if (!check.Enabled)
        {
            return null; // a paused check has no runs to judge
        }

        var before = check.State;
        CheckState next;
        if (verdict.Status == Health.Down)
        {
            check.ConsecutiveFailures++;
            check.ConsecutiveSuccesses = 0;
            next = check.ConsecutiveFailures >= Math.Max(1, check.FailureThreshold) ? CheckState.Down : before;
        }
        else
        {
            check.ConsecutiveSuccesses++;
            check.ConsecutiveFailures = 0;
            var recovering = before == CheckState.Down && check.ConsecutiveSuccesses < Math.Max(1, check.RecoveryThreshold);
            next = recovering ? CheckState.Down : StateOf(verdict.Status);
        }

        return MoveTo(check, next, at, verdict.Message);
    }

    /// <summary>Stops runs at once; the check shows Paused everywhere, public pages included.</summary>
    public static CheckStateChange? Pause(Check check, DateTimeOffset at, string reason)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (!check.Enabled)
        {
            return null;
        }

        check.Enabled = false;
        check.LeaseId = null;
        return MoveTo(check, CheckState.Paused, at, reason);
    }

    /// <summary>Runs again now, from a clean slate: results from before the pause say nothing about today.</summary>
    public static CheckStateChange? Resume(Check check, DateTimeOffset at, string reason)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (check.Enabled)
        {
            return null;
        }

        check.Enabled = true;
        check.NextRunAt = at;
        check.LeaseId = null;
        ClearCounters(check);
        return MoveTo(check, CheckState.Pending, at, reason);
    }

    /// <summary>
    /// The owner changed what the check looks at: old results said nothing about the new target, so
    /// it starts again from Pending and runs now. A paused check stays paused.
    /// </summary>
    public static CheckStateChange? Restart(Check check, DateTimeOffset at, string reason)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (!check.Enabled)
        {
            return null;
        }

        check.NextRunAt = at;
        check.LeaseId = null; // a run of the old target in flight writes nothing
        ClearCounters(check);
        return MoveTo(check, CheckState.Pending, at, reason);
    }

    public static CheckState StateOf(Health health) => health switch
    {
        Health.Up => CheckState.Up,
        Health.Degraded => CheckState.Degraded,
        _ => CheckState.Down,
    };

    private static void ClearCounters(Check check)
    {
        check.ConsecutiveFailures = 0;
        check.ConsecutiveSuccesses = 0;
    }

    private static CheckStateChange? MoveTo(Check check, CheckState next, DateTimeOffset at, string reason)
    {
        var before = check.State;
        if (next == before)
        {
            return null;
        }

        check.State = next;
        check.StateChangedAt = at;
        return new CheckStateChange
        {
            CheckId = check.Id,
            At = at,
            From = before,
            To = next,
            Reason = Truncate(reason, Check.MessageMaxLength),
        };
    }

    public static string Truncate(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }
}
