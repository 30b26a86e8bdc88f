namespace Watchtower.Probes.Seo;

/// <summary>What a finding does to the check. Stored by name.</summary>
public enum SeoSeverity
{
    Ignore = 0,
    Degraded,
    Down,
}

/// <summary>One problem the SEO check found, with the exact evidence (the tag, the header, the robots.txt line).</summary>
public sealed record SeoFinding(string Rule, string Message, string Evidence);

/// <summary>The named rules and their default severities: not indexable and non-2xx make the check down; the rest degrade.</summary>
public static class SeoRules
{
    public const string StatusNot2xx = "status-not-2xx";
    public const string NotIndexable = "not-indexable";
    public const string TitleMissing = "title-missing";
    public const string TitleLength = "title-length";
    public const string MetaDescriptionMissing = "meta-description-missing";
    public const string H1 = "h1-count";
    public const string Canonical = "canonical";
    public const string HtmlLangMissing = "html-lang-missing";
    public const string ImagesWithoutAlt = "images-without-alt";
    public const string Sitemap = "sitemap";
    public const string SitemapUrlError = "sitemap-url-error";
    public const string RobotsTxtUnreachable = "robots-txt-unreachable";

    public static readonly IReadOnlyList<(string Rule, string Label, SeoSeverity Default)> All =
    [
        (StatusNot2xx, "The page does not answer 2xx", SeoSeverity.Down),
        (NotIndexable, "The page cannot be indexed (noindex, X-Robots-Tag or robots.txt)", SeoSeverity.Down),
        (TitleMissing, "<title> missing or empty", SeoSeverity.Degraded),
        (TitleLength, "<title> shorter than 10 or longer than 60 characters", SeoSeverity.Degraded),
        (MetaDescriptionMissing, "Meta description missing", SeoSeverity.Degraded),
        (H1, "No <h1>, or more than one", SeoSeverity.Degraded),
        (Canonical, "Canonical link missing or pointing to another host", SeoSeverity.Degraded),
        (HtmlLangMissing, "<html lang> missing", SeoSeverity.Degraded),
        (ImagesWithoutAlt, "Images without alt text", SeoSeverity.Degraded),
        (Sitemap, "Sitemap missing or not listed in robots.txt", SeoSeverity.Degraded),
        (SitemapUrlError, "A sampled sitemap URL answers 4xx/5xx or not at all", SeoSeverity.Degraded),
        (RobotsTxtUnreachable, "robots.txt does not answer, or answers 5xx (crawlers then treat the site as disallowed)", SeoSeverity.Degraded),
    ];

    public static SeoSeverity DefaultFor(string rule) => All.FirstOrDefault(r => r.Rule == rule).Default;
}
