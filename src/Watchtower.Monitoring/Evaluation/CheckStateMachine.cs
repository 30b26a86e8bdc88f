using Watchtower.Data.Entities;

namespace Watchtower.Monitoring.Evaluation;

/// <summary>
/// Applies one verdict to a check's state with confirmation: the check goes down only after
/// <see cref="Check.FailureThreshold"/> consecutive failures and back up after
/// <see cref="Check.RecoveryThreshold"/> consecutive successes. Returns the transition, if any.
/// </summary>
public static class CheckStateMachine
{
    public static CheckStateChange? Apply(Check check, Verdict verdict, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(verdict);
        var before = check.State;
        CheckState next;
        if (verdict.Status == CheckState.Down)
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
            next = recovering ? CheckState.Down : verdict.Status;
        }

        if (next == CheckState.Paused)
        {
            next = before;
        }

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
            Reason = Truncate(verdict.Message, Check.MessageMaxLength),
        };
    }

    internal static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
