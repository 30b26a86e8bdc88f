using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Watchtower.Web.Infrastructure;

namespace Watchtower.Web.Checks;

/// <summary>"Test now" runs per account and minute: the form must not become a port scanner.</summary>
public sealed class TestNowLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(account =>
        RateLimitPartition.GetFixedWindowLimiter(account, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.TestNowPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    /// <summary>True when the account may run one more test now.</summary>
    public bool TryAcquire(string accountId)
    {
        using var lease = limiter.AttemptAcquire(accountId);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
