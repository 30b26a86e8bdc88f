using Watchtower.Web.Infrastructure.Accounts;

namespace Watchtower.Web.Tests.Owner;

public sealed class SignInDelayTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(7, 4)]
    [InlineData(13, 256)]
    [InlineData(14, 300)]
    [InlineData(64, 300)]
    [InlineData(int.MaxValue, 300)]
    public void The_wait_doubles_after_the_free_attempts_and_stops_at_the_cap(int failures, int seconds)
    {
        var options = new AccountOptions(); // 5 free, 1 s first, 5 min cap

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.DelayAfter(failures));
    }
}
