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

    private TestWebServer site = null!;
    private readonly ProbeRunner runner = TestProbes.Runner();

    public async ValueTask InitializeAsync()
    {
        site = await TestWebServer.StartAsync(routes: app =>
        {
            app.MapGet("/good", () => Results.Content(GoodPage, "text/html"));
            app.MapGet("/bad", () => Results.Content(BadPage, "text/html"));
            app.MapGet("/moved", () => Results.Redirect("/good"));
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

    private Task<ProbeResult> Seo(string path) =>
        runner.RunAsync(new ProbeRequest(ProbeKind.Seo, "127.0.0.1", 0, TimeSpan.FromSeconds(10)) { Http = new HttpProbeOptions { Url = site.HttpBase + path } });

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

        var result = await runner.RunAsync(new ProbeRequest(ProbeKind.Seo, "127.0.0.1", 0, TimeSpan.FromSeconds(10)) { Http = new HttpProbeOptions { Url = bare.HttpBase + "/page" } });

        Assert.Equal([SeoRules.Sitemap], Rules(result));
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
