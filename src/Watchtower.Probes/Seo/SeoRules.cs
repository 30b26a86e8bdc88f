namespace Watchtower.Probes.Seo;

/// <summary>One problem the SEO check found, with the exact evidence (the tag, the header, the robots.txt line).</summary>
public sealed record SeoFinding(string Rule, string Message, string Evidence);

/// <summary>The rules the SEO probe reports findings under. How much each counts is the evaluator's call (<see cref="Evaluation.SeoSeverities"/>).</summary>
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

    /// <summary>Every rule with the words the form shows for it.</summary>
    public static readonly IReadOnlyList<(string Rule, string Label)> All =
    [
        (StatusNot2xx, "The page does not answer 2xx"),
        (NotIndexable, "The page cannot be indexed (noindex, X-Robots-Tag or robots.txt)"),
        (TitleMissing, "<title> missing or empty"),
        (TitleLength, "<title> shorter than 10 or longer than 60 characters"),
        (MetaDescriptionMissing, "Meta description missing"),
        (H1, "No <h1>, or more than one"),
        (Canonical, "Canonical link missing or pointing to another host"),
        (HtmlLangMissing, "<html lang> missing"),
        (ImagesWithoutAlt, "Images without alt text"),
        (Sitemap, "Sitemap missing or not listed in robots.txt"),
        (SitemapUrlError, "A sampled sitemap URL answers 4xx/5xx or not at all"),
        (RobotsTxtUnreachable, "robots.txt does not answer, or answers 5xx (crawlers then treat the site as disallowed)"),
    ];

    public static bool IsKnown(string rule) => All.Any(r => r.Rule == rule);
}
