using Watchtower.Data.Entities;
using Watchtower.Monitoring.State;
using Watchtower.Probes;
using Watchtower.Probes.Evaluation;
using Watchtower.Probes.Tcp;

namespace Watchtower.Monitoring.Tests.State;

public sealed class CheckStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static Check NewCheck(int failureThreshold = 1, int recoveryThreshold = 1, CheckState state = CheckState.Pending) => new()
    {
        Id = 7, TeamId = 1, Name = "db", Settings = new TcpSettings { Host = "db.example.com", Port = 5432 },
        FailureThreshold = failureThreshold, RecoveryThreshold = recoveryThreshold, State = state,
    };

    private static readonly Verdict Up = new(Health.Up, FailureReason.None, "Port 5432 is open", "Operational");
    private static readonly Verdict Down = new(Health.Down, FailureReason.Refused, "Connection refused on port 5432", "Connection refused");

    [Fact]
    public void First_success_takes_a_pending_check_up_and_records_the_change()
    {
        var check = NewCheck();

        var change = CheckStateMachine.Apply(check, Up, T0);

        Assert.Equal(CheckState.Up, check.State);
        Assert.Equal(T0, check.StateChangedAt);
        Assert.NotNull(change);
        Assert.Equal((CheckState.Pending, CheckState.Up), (change.From, change.To));
        Assert.Equal(7, change.CheckId);
    }

    [Fact]
    public void A_check_goes_down_only_after_the_configured_number_of_consecutive_failures()
    {
        var check = NewCheck(failureThreshold: 3, state: CheckState.Up);

        Assert.Null(CheckStateMachine.Apply(check, Down, T0));
        Assert.Null(CheckStateMachine.Apply(check, Down, T0.AddSeconds(30)));
        Assert.Equal(CheckState.Up, check.State);
        var change = CheckStateMachine.Apply(check, Down, T0.AddSeconds(60));

        Assert.Equal(CheckState.Down, check.State);
        Assert.NotNull(change);
        Assert.Equal("Connection refused on port 5432", change.Reason);
        Assert.Equal(3, check.ConsecutiveFailures);
    }

    [Fact]
    public void A_success_between_failures_resets_the_count()
    {
        var check = NewCheck(failureThreshold: 2, state: CheckState.Up);

        CheckStateMachine.Apply(check, Down, T0);
        CheckStateMachine.Apply(check, Up, T0.AddSeconds(30));
        CheckStateMachine.Apply(check, Down, T0.AddSeconds(60));

        Assert.Equal(CheckState.Up, check.State);
        Assert.Equal(1, check.ConsecutiveFailures);
    }

    [Fact]
    public void A_down_check_comes_back_up_after_the_recovery_threshold()
    {
        var check = NewCheck(recoveryThreshold: 2, state: CheckState.Down);

        Assert.Null(CheckStateMachine.Apply(check, Up, T0));
        Assert.Equal(CheckState.Down, check.State);
        var change = CheckStateMachine.Apply(check, Up, T0.AddSeconds(30));

        Assert.Equal(CheckState.Up, check.State);
        Assert.Equal((CheckState.Down, CheckState.Up), (change!.From, change.To));
    }

    [Fact]
    public void Long_reasons_are_truncated_to_the_column_size()
    {
        var check = NewCheck();
        var change = CheckStateMachine.Apply(check, new Verdict(Health.Down, FailureReason.Refused, new string('x', 2000), "down"), T0);

        Assert.Equal(Check.MessageMaxLength, change!.Reason.Length);
    }

    [Fact]
    public void Pause_takes_any_state_to_paused_once_and_stops_runs_from_counting()
    {
        var check = NewCheck(state: CheckState.Up);

        var paused = CheckStateMachine.Pause(check, T0, "Paused by the owner");
        var again = CheckStateMachine.Pause(check, T0.AddSeconds(1), "Paused by the owner");
        var run = CheckStateMachine.Apply(check, Down, T0.AddSeconds(2));

        Assert.Equal((CheckState.Up, CheckState.Paused, "Paused by the owner"), (paused!.From, paused.To, paused.Reason));
        Assert.Null(again);
        Assert.Null(run);
        Assert.Equal((CheckState.Paused, false, 0), (check.State, check.Enabled, check.ConsecutiveFailures));
    }

    [Fact]
    public void Resume_starts_again_from_pending_with_clean_counters_and_runs_now()
    {
        var check = NewCheck(state: CheckState.Down);
        check.ConsecutiveFailures = 4;
        CheckStateMachine.Pause(check, T0, "Paused");

        var resumed = CheckStateMachine.Resume(check, T0.AddMinutes(5), "Resumed");

        Assert.Equal((CheckState.Paused, CheckState.Pending), (resumed!.From, resumed.To));
        Assert.Equal((true, 0, 0, T0.AddMinutes(5)), (check.Enabled, check.ConsecutiveFailures, check.ConsecutiveSuccesses, check.NextRunAt));
        Assert.Null(CheckStateMachine.Resume(check, T0.AddMinutes(6), "Resumed"));
    }

    [Fact]
    public void A_changed_target_restarts_a_running_check_but_leaves_a_paused_one_paused()
    {
        var running = NewCheck(state: CheckState.Down);
        var paused = NewCheck(state: CheckState.Up);
        CheckStateMachine.Pause(paused, T0, "Paused");

        var restarted = CheckStateMachine.Restart(running, T0, "Target changed");

        Assert.Equal((CheckState.Down, CheckState.Pending), (restarted!.From, restarted.To));
        Assert.Null(CheckStateMachine.Restart(paused, T0, "Target changed"));
        Assert.Equal(CheckState.Paused, paused.State);
    }
}
