using System.ComponentModel.DataAnnotations;

namespace Watchtower.Web.Infrastructure;

/// <summary>Bound from <c>Watchtower:RateLimits</c> and validated when the host starts.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Watchtower:RateLimits";

    /// <summary>Sign-in and sign-up posts per client address and minute.</summary>
    [Range(1, 10_000, ErrorMessage = SectionName + ":AuthPostsPerMinute must be from {1} to {2}.")]
    public int AuthPostsPerMinute { get; set; } = 10;

    /// <summary>"Test now" runs per account and minute.</summary>
    [Range(1, 1000, ErrorMessage = SectionName + ":TestNowPerMinute must be from {1} to {2}.")]
    public int TestNowPerMinute { get; set; } = 12;
}
