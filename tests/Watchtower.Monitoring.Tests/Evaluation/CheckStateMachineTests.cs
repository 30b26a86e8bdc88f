using Watchtower.Data.Entities;
using Watchtower.Monitoring.Evaluation;

namespace Watchtower.Monitoring.Tests.Evaluation;

public sealed class CheckStateMachineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static Check NewCheck(int failureThreshold = 1, int recoveryThreshold = 1, CheckState state = CheckState.Pending) => new()
    {
        Id = 7, OwnerId = "u", Name = "db", Host = "db.example.com", Port = 5432,
        FailureThreshold = failureThreshold, RecoveryThreshold = recoveryThreshold, State = state,
    };

    private static readonly Verdict Up = new(CheckState.Up, "Port 5432 is open", "Operational");
    private static readonly Verdict Down = new(CheckState.Down, "Connection refused on port 5432", "Connection refused on port 5432");

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
        var change = CheckStateMachine.Apply(check, new Verdict(CheckState.Down, new string('x', 2000), "down"), T0);

        Assert.Equal(Check.MessageMaxLength, change!.Reason.Length);
    }
}
