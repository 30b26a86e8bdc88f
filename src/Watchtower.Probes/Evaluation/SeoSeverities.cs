using Watchtower.Probes.Seo;

namespace Watchtower.Probes.Evaluation;

/// <summary>What an SEO finding does to the check. Stored by name.</summary>
public enum SeoSeverity
{
    Ignore = 0,
    Degraded,
    Down,
}

/// <summary>
/// How much each SEO rule counts unless the owner says otherwise. Only a page that does not answer
/// 2xx is down: a page that answers but cannot be indexed is still up for the customers reading a
/// status page, so indexing problems degrade (the owner can raise any rule to down).
/// </summary>
public static class SeoSeverities
{
    public static SeoSeverity DefaultFor(string rule) => rule switch
    {
        SeoRules.StatusNot2xx => SeoSeverity.Down,
        _ => SeoSeverity.Degraded,
    };
}
