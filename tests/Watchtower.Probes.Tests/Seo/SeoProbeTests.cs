using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Watchtower.Probes.Http;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Tests.Tcp;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Seo;

/// <summary>The SEO probe against a real Kestrel site with pages, robots.txt and a sitemap made for each rule.</summary>
public sealed class SeoProbeTests : IAsyncLifetime
{
    private const string GoodPage = """
        <!DOCTYPE html><html lang="en"><head><title>Acme Mail — status and help</title>
        <meta name="description" content="Everything about Acme Mail."><link rel="canonical" href="/good"></head>
        <body><h1>Acme Mail</h1><img src="/logo.png" alt="Acme"></body></html>
        """;

    private const string BadPage = """
        <!DOCTYPE html><html><head><title>Hi</title><meta name="robots" content="noindex, nofollow">
        <link rel="canonical" href="https://elsewhere.example/page"></head>
        <body><h1>One</h1><h1>Two</h1><img src="/a.png"><img src="/b.png" alt=""></body></html>
        """;

    /// <summary>The good page with one thing changed, so that exactly one rule fires.</summary>
    private static string GoodPageWith(string from, string to) => GoodPage.Replace(from, to, StringComparison.Ordinal);

    private const string GoodTitle = "<title>Acme Mail — status and help</title>";
    private const string LongTitle = "<title>Acme Mail — status, help, release notes, pricing, and everything else</title>";

    private TestWebServer site = null!;
    private readonly ProbeRunner runner = TestProbes.Runner();

    public async ValueTask InitializeAsync()
    {
        site = await TestWebServer.StartAsync(routes: app =>
        {
            app.MapGet("/good", () => Results.Content(GoodPage, "text/html"));
            app.MapGet("/bad", () => Results.Content(BadPage, "text/html"));
            app.MapGet("/moved", () => Results.Redirect("/good"));
            app.MapGet("/no-title", () => Results.Content(GoodPageWith(GoodTitle, ""), "text/html"));
            app.MapGet("/empty-title", () => Results.Content(GoodPageWith(GoodTitle, "<title>  </title>"), "text/html"));
            app.MapGet("/long-title", () => Results.Content(GoodPageWith(GoodTitle, LongTitle), "text/html"));
            app.MapGet("/no-canonical", () => Results.Content(GoodPageWith("<link rel=\"canonical\" href=\"/good\">", ""), "text/html"));
            app.MapGet("/no-h1", () => Results.Content(GoodPageWith("<h1>Acme Mail</h1>", "<h2>Acme Mail</h2>"), "text/html"));
            app.MapGet("/private/page", () => Results.Content(GoodPage, "text/html"));
            app.MapGet("/hidden", (HttpContext context) =>
            {
                context.Response.Headers["X-Robots-Tag"] = "noindex";
                return Results.Content(GoodPage, "text/html");
            });
            app.MapGet("/robots.txt", () => Results.Text("User-agent: *\nDisallow: /private/\nAllow: /\nSitemap: /sitemap.xml\n"));
            app.MapGet("/sitemap.xml", (HttpContext context) => Results.Content(
                $"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://{context.Request.Host}/good</loc></url><url><loc>http://{context.Request.Host}/gone</loc></url></urlset>""",
                "application/xml"));
        });
    }

    public async ValueTask DisposeAsync() => await site.DisposeAsync();

    private Task<ProbeResult> Seo(string path) => SeoAt(site.HttpBase + path);

    private Task<ProbeResult> SeoAt(string url, TimeSpan? timeout = null) =>
        runner.RunAsync(new ProbeRequest(new SeoSettings { Url = url }, timeout ?? TimeSpan.FromSeconds(10)));

    private static string[] Rules(ProbeResult result) => [.. result.Seo!.Select(f => f.Rule).Order()];

    [Fact]
    public async Task A_good_page_only_reports_the_broken_sitemap_url()
    {
        var result = await Seo("/good");

        Assert.True(result.Success, result.Message);
        Assert.Equal([SeoRules.SitemapUrlError], Rules(result));
        Assert.EndsWith("/gone → 404", result.Seo![0].Evidence, StringComparison.Ordinal);
        Assert.Equal(200, result.Http!.StatusCode);
    }

    [Fact]
    public async Task A_bad_page_reports_each_rule_with_its_evidence()
    {
        var result = await Seo("/bad");

        Assert.Equal(
            [SeoRules.Canonical, SeoRules.H1, SeoRules.HtmlLangMissing, SeoRules.ImagesWithoutAlt, SeoRules.MetaDescriptionMissing, SeoRules.NotIndexable, SeoRules.SitemapUrlError, SeoRules.TitleLength],
            Rules(result));
        var byRule = result.Seo!.ToDictionary(f => f.Rule);
        Assert.Contains("noindex", byRule[SeoRules.NotIndexable].Evidence, StringComparison.Ordinal);
        Assert.StartsWith("<meta", byRule[SeoRules.NotIndexable].Evidence, StringComparison.Ordinal);
        Assert.Equal("<title>Hi</title>", byRule[SeoRules.TitleLength].Evidence);
        Assert.Contains("elsewhere.example", byRule[SeoRules.Canonical].Message, StringComparison.Ordinal);
        Assert.Contains("2 <h1>", byRule[SeoRules.H1].Message, StringComparison.Ordinal);
        Assert.Equal("1 image has no alt text.", byRule[SeoRules.ImagesWithoutAlt].Message);
    }

    [Fact]
    public async Task Robots_txt_and_the_x_robots_tag_header_can_make_a_page_not_indexable()
    {
        var disallowed = await Seo("/private/page");
        var header = await Seo("/hidden");

        Assert.Contains(disallowed.Seo!, f => f.Rule == SeoRules.NotIndexable && f.Evidence == "Disallow: /private/");
        Assert.Contains(header.Seo!, f => f.Rule == SeoRules.NotIndexable && f.Evidence == "X-Robots-Tag: noindex");
    }

    [Fact]
    public async Task Redirects_are_followed_and_a_missing_page_is_not_2xx()
    {
        var moved = await Seo("/moved");
        var missing = await Seo("/status/404");

        Assert.Single(moved.Http!.Redirects);
        Assert.EndsWith("/good", moved.Http.FinalUrl, StringComparison.Ordinal);
        Assert.Contains(missing.Seo!, f => f.Rule == SeoRules.StatusNot2xx && f.Evidence.StartsWith("HTTP 404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_site_without_a_sitemap_is_reported()
    {
        await using var bare = await TestWebServer.StartAsync(routes: app => app.MapGet("/page", () => Results.Content(GoodPage, "text/html")));

        var result = await runner.RunAsync(new ProbeRequest(new SeoSettings { Url = bare.HttpBase + "/page" }, TimeSpan.FromSeconds(10)));

        Assert.Equal([SeoRules.Sitemap], Rules(result));
    }

    [Theory]
    [InlineData("/no-title", SeoRules.TitleMissing, "The page has no <title>.", "(no <title> element)")]
    [InlineData("/empty-title", SeoRules.TitleMissing, "The <title> is empty.", "<title>  </title>")]
    [InlineData("/long-title", SeoRules.TitleLength, "The title has 69 characters (10–60 recommended).", LongTitle)]
    [InlineData("/no-canonical", SeoRules.Canonical, "The page has no canonical link.", "(no <link rel=\"canonical\">)")]
    [InlineData("/no-h1", SeoRules.H1, "The page has no <h1>.", "(no <h1>)")]
    public async Task Each_page_rule_fires_alone_with_its_evidence(string path, string rule, string message, string evidence)
    {
        var result = await Seo(path);

        Assert.True(result.Success, result.Message);
        string[] expected = [.. new[] { rule, SeoRules.SitemapUrlError }.Order()]; // the site's sitemap lists a 404 as well
        Assert.Equal(expected, Rules(result));
        var finding = Assert.Single(result.Seo!, f => f.Rule == rule);
        Assert.Equal(message, finding.Message);
        Assert.Equal(evidence, finding.Evidence);
    }

    [Fact]
    public async Task A_sitemap_at_the_default_place_but_not_in_robots_txt_is_reported()
    {
        await using var unlisted = await TestWebServer.StartAsync(routes: app =>
        {
            app.MapGet("/page", () => Results.Content(GoodPage, "text/html"));
            app.MapGet("/robots.txt", () => Results.Text("User-agent: *\nAllow: /\n"));
            app.MapGet("/sitemap.xml", (HttpContext context) => Results.Content(
                $"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://{context.Request.Host}/page</loc></url></urlset>""",
                "application/xml"));
        });

        var result = await SeoAt(unlisted.HttpBase + "/page");

        var finding = Assert.Single(result.Seo!);
        Assert.Equal(new SeoFinding(SeoRules.Sitemap, "The sitemap is not listed in robots.txt.", "robots.txt has no Sitemap: line"), finding);
        Assert.Contains(unlisted.Received, r => r.PathAndQuery == "/sitemap.xml");
    }

    [Fact]
    public async Task A_sampled_sitemap_url_that_hangs_is_a_finding_not_a_timeout_of_the_check()
    {
        await using var hanging = await TestWebServer.StartAsync(routes: app =>
        {
            app.MapGet("/page", () => Results.Content(GoodPageWith("<h1>Acme Mail</h1>", ""), "text/html"));
            app.MapGet("/robots.txt", () => Results.Text("User-agent: *\nAllow: /\nSitemap: /sitemap.xml\n"));
            app.MapGet("/sitemap.xml", (HttpContext context) => Results.Content(
                $"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://{context.Request.Host}/hang</loc></url></urlset>""",
                "application/xml"));
        });

        var result = await SeoAt(hanging.HttpBase + "/page", TimeSpan.FromSeconds(6));

        Assert.True(result.Success, result.Message);
        Assert.Equal([SeoRules.H1, SeoRules.SitemapUrlError], Rules(result));
        var sample = Assert.Single(result.Seo!, f => f.Rule == SeoRules.SitemapUrlError);
        // The budget is a third of the time left (about 2 s of 6 here, a little less on a busy machine).
        Assert.Matches(@"^A sitemap URL did not answer within (2|1\.\d) s\.$", sample.Message);
        Assert.Matches($@"^{Regex.Escape(hanging.HttpBase)}/hang → did not answer within (2|1\.\d) s$", sample.Evidence);
        Assert.True(result.Timings.Total >= TimeSpan.FromSeconds(1), "the probe should really have waited for the hanging URL");
    }

    [Fact]
    public async Task A_robots_txt_and_sitemap_that_hang_are_findings_and_the_page_is_still_judged()
    {
        await using var hanging = await TestWebServer.StartAsync(routes: app =>
        {
            app.MapGet("/page", () => Results.Content(GoodPageWith(GoodTitle, ""), "text/html"));
            app.MapGet("/robots.txt", () => Results.Redirect("/hang"));
            app.MapGet("/sitemap.xml", () => Results.Redirect("/hang"));
        });

        var result = await SeoAt(hanging.HttpBase + "/page", TimeSpan.FromSeconds(6));

        Assert.True(result.Success, result.Message);
        Assert.Equal([SeoRules.RobotsTxtUnreachable, SeoRules.Sitemap, SeoRules.TitleMissing], Rules(result));
        var byRule = result.Seo!.ToDictionary(f => f.Rule);
        Assert.Matches(@"^robots\.txt did not answer within (2|1\.\d) s; crawlers treat an unreachable robots\.txt as disallowing the whole site\.$", byRule[SeoRules.RobotsTxtUnreachable].Message);
        Assert.Matches($@"^GET {Regex.Escape(hanging.HttpBase)}/robots\.txt → did not answer within (2|1\.\d) s$", byRule[SeoRules.RobotsTxtUnreachable].Evidence);
        Assert.StartsWith($"The sitemap at {hanging.HttpBase}/sitemap.xml did not answer within 1.", byRule[SeoRules.Sitemap].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_robots_txt_answering_5xx_is_reported()
    {
        await using var failing = await TestWebServer.StartAsync(routes: app =>
        {
            app.MapGet("/page", () => Results.Content(GoodPage, "text/html"));
            app.MapGet("/robots.txt", () => Results.Text("down", statusCode: 503));
        });

        var result = await SeoAt(failing.HttpBase + "/page");

        Assert.Equal([SeoRules.RobotsTxtUnreachable, SeoRules.Sitemap], Rules(result));
        Assert.Equal($"GET {failing.HttpBase}/robots.txt → 503", result.Seo!.Single(f => f.Rule == SeoRules.RobotsTxtUnreachable).Evidence);
    }

    [Fact]
    public async Task A_page_redirecting_to_another_scheme_or_in_a_loop_fails_clearly()
    {
        var ftp = await Seo("/to?url=" + Uri.EscapeDataString("ftp://files.example/pub/"));
        var loop = await Seo("/loop");

        Assert.Equal(FailureReason.Status, ftp.Reason);
        Assert.Equal("Redirected to an address with the ftp: scheme (ftp://files.example/pub/); only http and https are followed.", ftp.Message);
        Assert.Equal(FailureReason.Status, loop.Reason);
        Assert.StartsWith("Stopped after 10 redirects", loop.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/private/x", "Disallow: /private/")]
    [InlineData("/private", null)]
    [InlineData("/public/private/x", null)]
    [InlineData("/shop/cart?id=1", "Disallow: /*?")]
    [InlineData("/docs/file.pdf", "Disallow: /*.pdf$")]
    [InlineData("/docs/file.pdf.html", null)]
    [InlineData("/private/open/page", null)]
    public void Robots_rules_follow_the_longest_match(string path, string? line)
    {
        var robots = RobotsTxt.Parse("User-agent: googlebot\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\nAllow: /private/open/\nDisallow: /*?\nDisallow: /*.pdf$\n");

        Assert.Equal(line, robots.DisallowingLine(path));
    }
}
