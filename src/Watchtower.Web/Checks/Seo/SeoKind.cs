using Watchtower.Probes;
using Watchtower.Probes.Evaluation;
using Watchtower.Probes.Seo;

namespace Watchtower.Web.Checks.Seo;

/// <summary>SEO checks: a page, its robots.txt and sitemap, and what each rule's finding does to the check.</summary>
public sealed class SeoKind : CheckKind<SeoSettings>
{
    public override ProbeKind Kind => ProbeKind.Seo;
    public override string Label => "SEO";
    public override string Hint => "Watchtower fetches the page, its robots.txt and sitemap on every run and reports what would hurt its search ranking.";
    public override string NamePlaceholder => "Home page SEO";
    public override string TargetNoun => "URL";

    protected override SeoSettings Get(CheckForm form) => form.Seo;

    protected override void Set(CheckForm form, SeoSettings settings) => form.Seo = settings;

    protected override SeoSettings Validate(SeoSettings settings, CheckValidation context, FieldErrors.Scoped errors)
    {
        var rules = settings.Rules ?? [];
        if (rules.Any(r => r is null || !SeoRules.IsKnown(r.Rule) || !Enum.IsDefined(r.Severity)))
        {
            errors.Add(nameof(SeoSettings.Rules), "Choose down, degraded or ignore for each rule.");
            rules = [];
        }

        // Only the owner's departures from the defaults are kept: a rule left at its default follows
        // the default, so a better default reaches existing checks too.
        return settings with
        {
            Url = Fields.Url(settings.Url, context, errors),
            Rules = [.. rules.DistinctBy(r => r.Rule).Where(r => r.Severity != SeoSeverities.DefaultFor(r.Rule)).OrderBy(r => r.Rule, StringComparer.Ordinal)],
        };
    }

    protected override string Describe(SeoSettings settings)
    {
        var down = SeoRules.All.Count(r => settings.SeverityOf(r.Rule) == SeoSeverity.Down);
        var ignored = SeoRules.All.Count(r => settings.SeverityOf(r.Rule) == SeoSeverity.Ignore);
        return $"{down} rule{(down == 1 ? "" : "s")} make it down, {ignored} ignored, the rest degrade it";
    }

    protected override KindSeed Seed(SeoSettings settings) => new(Tcp.TcpKind.HostOf(settings.Url), null, settings.Url);

    public override IKindSettings Seeded(KindSeed seed) => new SeoSettings { Url = Http.HttpKind.UrlOf(seed) };
}
