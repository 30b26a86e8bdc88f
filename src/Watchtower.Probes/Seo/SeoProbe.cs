using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Http;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Seo;

/// <summary>
/// SEO check: fetches the page (guarded, redirects followed and reported), the site's robots.txt
/// and sitemap, parses the HTML with AngleSharp and reports every rule that finds a problem, with
/// its evidence. Which findings matter, and how much, is the evaluator's call (per-rule severities).
/// </summary>
public sealed class SeoProbe(EgressGuard guard, TlsInspector tls, TimeProvider time) : Probe<SeoSettings>(ProbeKind.Seo)
{
    private const int SitemapSamples = 3;

    /// <summary>The most a robots.txt, sitemap or sampled URL fetch may take (less when less of the timeout is left).</summary>
    private static readonly TimeSpan SubFetchLimit = TimeSpan.FromSeconds(5);

    private sealed record Page(int Status, Uri Url, List<HttpHop> Hops, HttpProbe.BodyRead Body, HttpResponseMessage Response);

    /// <summary>A robots.txt, sitemap or sampled URL: its page, or why there is none.</summary>
    private sealed record SubFetch(Page? Page, string Problem)
    {
        public bool TimedOut { get; init; }

        /// <summary>The egress guard refused the address: nothing was sent to it.</summary>
        public bool Refused { get; init; }
    }

    /// <summary>A redirect that cannot be followed (non-HTTP scheme, too many hops).</summary>
    private sealed class RedirectException(string message) : Exception(message);

    protected override async Task<ProbeResult> ProbeAsync(SeoSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var url) || !IsHttp(url))
        {
            return ProbeResult.Failed(FailureReason.Error, $"“{settings.Url}” is not an http:// or https:// URL.") with { StartedAt = startedAt };
        }

        var exchange = new HttpProbe.Exchange();
        using var handler = HttpProbe.CreateHandler(guard, tls, time, exchange, verifyTls: false, url.IdnHost, timeout);
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Watchtower/1.0 (+seo check)");

        Page page;
        TimeSpan fetched;
        try
        {
            // The page itself has the whole timeout; robots.txt and the sitemap get bounded slices of what is left.
            page = await GetAsync(client, url, readBody: true, cancellationToken);
            fetched = time.GetElapsedTime(started);
        }
        catch (RedirectException ex)
        {
            return ProbeResult.Failed(FailureReason.Status, ex.Message) with { StartedAt = startedAt, RemoteEndpoint = exchange.Remote };
        }
        catch (HttpRequestException ex) when (ex.InnerException is EgressRefusedException refused)
        {
            return ProbeResult.Failed(refused.Reason, refused.Message) with { StartedAt = startedAt, RemoteEndpoint = exchange.Remote };
        }
        catch (HttpRequestException ex)
        {
            return ProbeResult.Failed(FailureReason.Error, $"The request to {url} failed: {ex.Message}") with { StartedAt = startedAt, RemoteEndpoint = exchange.Remote };
        }

        using (page.Response)
        {
            var findings = new List<SeoFinding>();
            if (page.Status is < 200 or > 299)
            {
                findings.Add(new(SeoRules.StatusNot2xx, $"The page answered {page.Status}.", $"HTTP {page.Status} {page.Response.ReasonPhrase}"));
            }

            if (page.Response.Headers.TryGetValues("X-Robots-Tag", out var robotsHeaders)
                && robotsHeaders.FirstOrDefault(v => v.Contains("noindex", StringComparison.OrdinalIgnoreCase)) is { } noindexHeader)
            {
                findings.Add(new(SeoRules.NotIndexable, "The X-Robots-Tag header forbids indexing.", $"X-Robots-Tag: {noindexHeader}"));
            }

            CheckHtml(page, findings);
            await CheckRobotsAndSitemapAsync(client, page.Url, findings, () => timeout - time.GetElapsedTime(started), cancellationToken);

            var message = findings.Count == 0
                ? $"{page.Url} passes every SEO rule."
                : $"{findings.Count} SEO finding{(findings.Count == 1 ? "" : "s")}: {string.Join("; ", findings.Select(f => f.Message))}";
            return new ProbeResult
            {
                Success = true, // the page was fetched; the findings are judged by their severities
                Message = message,
                StartedAt = startedAt,
                // The page fetch (with its redirects) is the check's response time; robots.txt and the sitemap are not.
                Timings = new ProbeTimings { Dns = exchange.Dns, Connect = exchange.Connect, Tls = exchange.Tls, FirstByte = fetched },
                RemoteEndpoint = exchange.Remote,
                Certificate = exchange.Certificate,
                Http = new HttpFacts { StatusCode = page.Status, FinalUrl = page.Url.ToString(), Redirects = page.Hops, BodyBytes = page.Body.Bytes, BodyTruncated = page.Body.Truncated, ContentType = page.Response.Content.Headers.ContentType?.ToString() },
                Seo = findings,
            };
        }
    }

    private static void CheckHtml(Page page, List<SeoFinding> findings)
    {
        var document = new HtmlParser().ParseDocument(page.Body.Text);
        foreach (var meta in document.QuerySelectorAll("meta[name]"))
        {
            var name = meta.GetAttribute("name")?.ToLowerInvariant();
            if (name is "robots" or "googlebot" && (meta.GetAttribute("content") ?? "").Contains("noindex", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new(SeoRules.NotIndexable, "A robots meta tag forbids indexing.", meta.OuterHtml));
            }
        }

        var title = document.QuerySelector("head title") ?? document.QuerySelector("title");
        var titleText = title?.TextContent.Trim() ?? "";
        if (titleText.Length == 0)
        {
            findings.Add(new(SeoRules.TitleMissing, title is null ? "The page has no <title>." : "The <title> is empty.", title?.OuterHtml ?? "(no <title> element)"));
        }
        else if (titleText.Length is < 10 or > 60)
        {
            findings.Add(new(SeoRules.TitleLength, $"The title has {titleText.Length} characters (10–60 recommended).", title!.OuterHtml));
        }

        var description = document.QuerySelector("meta[name='description' i]");
        if (string.IsNullOrWhiteSpace(description?.GetAttribute("content")))
        {
            findings.Add(new(SeoRules.MetaDescriptionMissing, "The page has no meta description.", description?.OuterHtml ?? "(no <meta name=\"description\">)"));
        }

        var h1s = document.QuerySelectorAll("h1");
        if (h1s.Length != 1)
        {
            findings.Add(new(SeoRules.H1, h1s.Length == 0 ? "The page has no <h1>." : $"The page has {h1s.Length} <h1> elements.",
                h1s.Length == 0 ? "(no <h1>)" : string.Join(" ", h1s.Take(3).Select(h => h.OuterHtml))));
        }

        var canonical = document.QuerySelector("link[rel='canonical' i]");
        var href = canonical?.GetAttribute("href");
        if (string.IsNullOrWhiteSpace(href))
        {
            findings.Add(new(SeoRules.Canonical, "The page has no canonical link.", "(no <link rel=\"canonical\">)"));
        }
        else if (Uri.TryCreate(page.Url, href, out var target) && !string.Equals(target.Host, page.Url.Host, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new(SeoRules.Canonical, $"The canonical link points to another host ({target.Host}).", canonical!.OuterHtml));
        }

        if (string.IsNullOrWhiteSpace(document.DocumentElement.GetAttribute("lang")))
        {
            findings.Add(new(SeoRules.HtmlLangMissing, "The <html> element has no lang attribute.", "<html> without lang"));
        }

        var noAlt = document.QuerySelectorAll("img").Where(i => !i.HasAttribute("alt")).ToList();
        if (noAlt.Count > 0)
        {
            findings.Add(new(SeoRules.ImagesWithoutAlt, $"{noAlt.Count} image{(noAlt.Count == 1 ? " has" : "s have")} no alt text.",
                string.Join(" ", noAlt.Take(3).Select(i => i.OuterHtml))));
        }
    }

    private async Task CheckRobotsAndSitemapAsync(HttpClient client, Uri pageUrl, List<SeoFinding> findings, Func<TimeSpan> remaining, CancellationToken cancellationToken)
    {
        var site = new Uri(pageUrl.GetLeftPart(UriPartial.Authority));
        var robotsUrl = new Uri(site, "/robots.txt");
        var robotsFetch = await TryGetAsync(client, robotsUrl, readBody: true, remaining(), cancellationToken);
        var robotsPage = robotsFetch.Page;
        using (robotsPage?.Response)
        {
            // RFC 9309 §2.3.1.4: crawlers treat an unreachable robots.txt (no answer, 5xx) as disallowing everything.
            if (robotsPage is null)
            {
                findings.Add(robotsFetch.Refused
                    ? new(SeoRules.RobotsTxtUnreachable, $"robots.txt was not fetched: {robotsFetch.Problem}; crawlers treat an unreachable robots.txt as disallowing the whole site.",
                        $"GET {robotsUrl} → refused by the egress guard: {robotsFetch.Problem}")
                    : new(SeoRules.RobotsTxtUnreachable, $"robots.txt {robotsFetch.Problem}; crawlers treat an unreachable robots.txt as disallowing the whole site.",
                        $"GET {robotsUrl} → {robotsFetch.Problem}"));
            }
            else if (robotsPage.Status >= 500)
            {
                findings.Add(new(SeoRules.RobotsTxtUnreachable, $"robots.txt answered {robotsPage.Status}; crawlers treat an unreachable robots.txt as disallowing the whole site.",
                    $"GET {robotsUrl} → {robotsPage.Status}"));
            }
        }

        var robots = RobotsTxt.Parse(robotsPage is { Status: >= 200 and < 300 } ? robotsPage.Body.Text : null);
        if (robots.DisallowingLine(pageUrl.PathAndQuery) is { } line)
        {
            findings.Add(new(SeoRules.NotIndexable, "robots.txt disallows this page for all crawlers.", line));
        }

        var named = robots.Sitemaps.Select(s => Uri.TryCreate(site, s, out var u) ? u : null).OfType<Uri>().ToList();
        // A robots.txt is the site's to write: a sitemap it names at file:, gopher: or any other
        // scheme is a finding about the site, never a request this probe makes.
        foreach (var odd in named.Where(u => !IsHttp(u)).Take(1))
        {
            findings.Add(new(SeoRules.Sitemap, $"robots.txt names a sitemap at a {odd.Scheme}: URL, which crawlers do not fetch.", $"Sitemap: {odd}"));
        }

        var listed = named.Where(IsHttp).ToList();
        var sitemapUrl = listed.FirstOrDefault() ?? new Uri(site, "/sitemap.xml");
        var sitemapFetch = await TryGetAsync(client, sitemapUrl, readBody: true, remaining(), cancellationToken);
        var sitemap = sitemapFetch.Page;
        using (sitemap?.Response)
        {
            if (sitemap is not { Status: >= 200 and < 300 })
            {
                findings.Add(sitemapFetch.Refused
                    ? new(SeoRules.Sitemap, $"The sitemap at {sitemapUrl} was not fetched: {sitemapFetch.Problem}.", $"GET {sitemapUrl} → refused by the egress guard: {sitemapFetch.Problem}")
                    : sitemapFetch.TimedOut
                    ? new(SeoRules.Sitemap, $"The sitemap at {sitemapUrl} {sitemapFetch.Problem}.", $"GET {sitemapUrl} → {sitemapFetch.Problem}")
                    : new(SeoRules.Sitemap, $"No sitemap at {sitemapUrl}.", sitemap is null ? $"GET {sitemapUrl} failed: {sitemapFetch.Problem}" : $"GET {sitemapUrl} → {sitemap.Status}"));
                return;
            }

            if (listed.Count == 0)
            {
                findings.Add(new(SeoRules.Sitemap, "The sitemap is not listed in robots.txt.", "robots.txt has no Sitemap: line"));
            }

            var samples = SampleLocations(sitemap.Body.Text);
            NoteOddSchemes(samples, findings);
            foreach (var sample in samples.Where(IsHttp))
            {
                var fetch = await TryGetAsync(client, sample, readBody: false, remaining(), cancellationToken);
                using (fetch.Page?.Response)
                {
                    if (fetch.Page is null)
                    {
                        findings.Add(fetch.Refused
                            ? new(SeoRules.SitemapUrlError, $"A sitemap URL was not fetched: {fetch.Problem}.", $"{sample} → refused by the egress guard: {fetch.Problem}")
                            : new(SeoRules.SitemapUrlError, fetch.TimedOut ? $"A sitemap URL {fetch.Problem}." : $"A sitemap URL could not be fetched: {fetch.Problem}.",
                                $"{sample} → {fetch.Problem}"));
                        break;
                    }

                    if (fetch.Page.Status >= 400)
                    {
                        var status = fetch.Page.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        findings.Add(new(SeoRules.SitemapUrlError, $"A sitemap URL answers {status}.", $"{sample} → {status}"));
                        break;
                    }
                }
            }
        }
    }

    private static List<Uri> SampleLocations(string xml)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml);
        }
        catch (System.Xml.XmlException)
        {
            return [];
        }

        return document.Descendants().Where(e => e.Name.LocalName == "loc")
            .Select(e => Uri.TryCreate(e.Value.Trim(), UriKind.Absolute, out var u) ? u : null).OfType<Uri>()
            .Take(SitemapSamples).ToList();
    }

    private static bool IsHttp(Uri url) => url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps;

    private static void NoteOddSchemes(List<Uri> samples, List<SeoFinding> findings)
    {
        if (samples.FirstOrDefault(u => !IsHttp(u)) is { } odd)
        {
            findings.Add(new(SeoRules.SitemapUrlError, $"The sitemap lists a {odd.Scheme}: URL, which crawlers do not fetch.", odd.ToString()));
        }
    }

    /// <summary>
    /// A robots.txt, sitemap or sampled-URL fetch with its own budget — min(5 s, a third of the time
    /// left) — so one that hangs becomes a finding instead of timing out the whole check and losing
    /// every finding about the page.
    /// </summary>
    private async Task<SubFetch> TryGetAsync(HttpClient client, Uri url, bool readBody, TimeSpan remaining, CancellationToken cancellationToken)
    {
        var budget = remaining <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(SubFetchLimit.Ticks, remaining.Ticks / 3));
        using var deadline = new CancellationTokenSource(budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return new SubFetch(await GetAsync(client, url, readBody, linked.Token), "");
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new SubFetch(null, $"did not answer within {EgressGuard.Seconds(budget)}") { TimedOut = true };
        }
        catch (HttpRequestException ex)
        {
            return ex.InnerException is EgressRefusedException refused
                ? new SubFetch(null, refused.Message.TrimEnd('.')) { Refused = refused.Reason == FailureReason.Blocked }
                : new SubFetch(null, ex.Message.TrimEnd('.'));
        }
        catch (RedirectException ex)
        {
            return new SubFetch(null, ex.Message.TrimEnd('.'));
        }
    }

    private static async Task<Page> GetAsync(HttpClient client, Uri url, bool readBody, CancellationToken cancellationToken)
    {
        const int maxRedirects = 10; // what search engines follow, roughly
        var hops = new List<HttpHop>();
        var current = url;
        while (true)
        {
            var response = await client.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (Redirects.IsRedirect(status) && Redirects.HasLocation(response))
            {
                using (response)
                {
                    hops.Add(new HttpHop(current.ToString(), status));
                    if (hops.Count > maxRedirects)
                    {
                        throw new RedirectException(Redirects.TooMany(maxRedirects, response));
                    }

                    if (!Redirects.TryNext(current, response, out var next, out var problem))
                    {
                        throw new RedirectException(problem);
                    }

                    current = next;
                    continue;
                }
            }

            try
            {
                var body = readBody ? await HttpProbe.ReadBodyAsync(response, cancellationToken) : new HttpProbe.BodyRead("", 0, false);
                return new Page(status, current, hops, body, response);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }
}
