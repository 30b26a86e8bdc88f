using System.Threading.RateLimiting;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Evaluation;
using Watchtower.Probes;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// "Test now" on the check form: runs the probe once, from this process, for the values on the
/// form, without saving anything. Limited per account so the form cannot be used as a port scanner.
/// </summary>
public sealed class CheckTester(ProbeRunner runner, TimeProvider time, IConfiguration configuration) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(account =>
        RateLimitPartition.GetFixedWindowLimiter(account, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = configuration.GetValue("Watchtower:RateLimits:TestNowPerMinute", 12),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public sealed record Outcome(ProbeResult Result, Verdict Verdict);

    /// <summary>Runs the check the (validated) form describes. Null when the account has used up its tests for now.</summary>
    public Task<Outcome?> TestAsync(string accountId, Pages.Checks.CheckInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var draft = new Check { OwnerId = accountId, Name = input.Name, Host = input.Host };
        input.ApplyTo(draft);
        return TestAsync(accountId, draft, cancellationToken);
    }

    /// <summary>Null when the account has used up its tests for now.</summary>
    public async Task<Outcome?> TestAsync(string accountId, Check draft, CancellationToken cancellationToken)
    {
        using var lease = limiter.AttemptAcquire(accountId);
        if (!lease.IsAcquired)
        {
            return null;
        }

        var result = await runner.RunAsync(draft.ToProbeRequest(), cancellationToken);
        return new Outcome(result, CheckEvaluator.Evaluate(draft, result, time.GetUtcNow()));
    }

    public void Dispose() => limiter.Dispose();
}
