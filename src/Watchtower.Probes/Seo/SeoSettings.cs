using Watchtower.Probes.Evaluation;

namespace Watchtower.Probes.Seo;

/// <summary>How much one SEO rule's finding counts for this check.</summary>
public sealed record SeoRuleSetting(string Rule, SeoSeverity Severity);

/// <summary>An SEO check: a page, and what each rule's finding does to the check.</summary>
public sealed record SeoSettings : IKindSettings
{
    public ProbeKind Kind => ProbeKind.Seo;

    /// <summary>The page to fetch: an absolute http:// or https:// URL.</summary>
    public string Url { get; init; } = "";

    /// <summary>The owner's choice per rule; a rule not listed counts as <see cref="SeoSeverities.DefaultFor"/> says.</summary>
    public List<SeoRuleSetting> Rules { get; init; } = [];

    public string Target => Url;

    public SeoSeverity SeverityOf(string rule) =>
        Rules.FirstOrDefault(r => r.Rule == rule)?.Severity ?? SeoSeverities.DefaultFor(rule);
}
