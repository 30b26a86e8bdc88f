using Watchtower.Data.Entities;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Tests.Owner;

public sealed class StateTextTests
{
    [Theory]
    [InlineData(CheckState.Pending, false, 0, 0, 2, 1, "Waiting for the first result")]
    [InlineData(CheckState.Pending, true, 1, 0, 2, 1, "Confirming (1 of 2 failures)")]
    [InlineData(CheckState.Up, true, 2, 0, 3, 1, "Confirming (2 of 3 failures)")]
    [InlineData(CheckState.Degraded, true, 1, 0, 2, 1, "Confirming (1 of 2 failures)")]
    [InlineData(CheckState.Up, true, 3, 0, 2, 1, "Confirming (3 of 3 failures)")] // threshold lowered after the count
    [InlineData(CheckState.Down, true, 0, 1, 2, 2, "Confirming recovery (1 of 2 successes)")]
    [InlineData(CheckState.Down, true, 0, 1, 2, 1, null)] // one success is enough: no confirmation step
    [InlineData(CheckState.Down, true, 3, 0, 2, 2, null)]
    [InlineData(CheckState.Up, true, 0, 5, 2, 1, null)]
    [InlineData(CheckState.Paused, false, 0, 0, 2, 1, null)]
    [InlineData(CheckState.Paused, true, 1, 0, 2, 1, null)]
    public void Confirmation_says_what_a_check_is_doing(CheckState state, bool hasRun, int failures, int successes, int failureThreshold, int recoveryThreshold, string? expected)
    {
        var check = new Check
        {
            TeamId = 1, Name = "n", Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = "h", Port = 1 }, State = state, LastCheckedAt = hasRun ? DateTimeOffset.UnixEpoch : null,
            ConsecutiveFailures = failures, ConsecutiveSuccesses = successes, FailureThreshold = failureThreshold, RecoveryThreshold = recoveryThreshold,
        };

        Assert.Equal(expected, StateText.Confirmation(check));
    }

    [Fact]
    public void UtcText_is_day_month_year_and_24_hour_time_in_utc()
    {
        Assert.Equal("3 Dec 2026, 14:05 UTC", StateText.UtcText(new DateTimeOffset(2026, 12, 3, 15, 5, 0, TimeSpan.FromHours(1))));
        Assert.Equal("", StateText.UtcText(null));
    }
}
