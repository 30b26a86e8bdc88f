namespace Watchtower.Web.Branding;

/// <summary>Bound from <c>Watchtower:StatusPages</c>.</summary>
public sealed class StatusPageOptions
{
    public const string SectionName = "Watchtower:StatusPages";

    /// <summary>Show "Powered by Watchtower" under every public page.</summary>
    public bool PoweredBy { get; set; } = true;

    /// <summary>
    /// Resolvers asked for custom-domain TXT records ("1.1.1.1", "127.0.0.1:5353"); empty: the
    /// machine's own. A public resolver avoids a split-horizon answer that readers would not see.
    /// </summary>
    public List<string> DnsServers { get; set; } = [];

    /// <summary>How often each Web host re-reads the verified custom domains (another host may have verified one).</summary>
    public int DomainRefreshSeconds { get; set; } = 60;

    /// <summary>Wrong page passwords allowed per client address, page and minute.</summary>
    public int PasswordPostsPerMinute { get; set; } = 10;

    /// <summary>Subscription requests per client address and hour (the "Subscribe to updates" form).</summary>
    public int SubscribePostsPerHour { get; set; } = 10;

    /// <summary>Confirmation emails per email address, page and hour (more requests get the same answer and send nothing).</summary>
    public int SubscriptionsPerAddressPerHour { get; set; } = 3;
}
