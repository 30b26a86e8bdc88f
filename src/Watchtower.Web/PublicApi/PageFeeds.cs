using System.Globalization;
using System.Net;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Watchtower.Data.Entities;
using Watchtower.Web.Incidents;

namespace Watchtower.Web.PublicApi;

/// <summary>
/// A page's incidents (each with its timeline) and maintenance windows as one feed, written as
/// Atom 1.0 or RSS 2.0 by System.ServiceModel.Syndication. Entry ids are the incidents' permalinks
/// (stable, so readers do not show an incident twice when it gets an update); an update changes the
/// entry's updated time. Bodies are the same sanitised HTML the page shows.
/// </summary>
public sealed class PageFeeds(IncidentMarkdown markdown)
{
    public const string AtomContentType = "application/atom+xml; charset=utf-8";
    public const string RssContentType = "application/rss+xml; charset=utf-8";

    public byte[] Atom(PublicPageData data, Func<string, string> absolute) => Write(Build(data, absolute, "feed.atom", "application/atom+xml", summaries: true), feed => new Atom10FeedFormatter(feed));

    public byte[] Rss(PublicPageData data, Func<string, string> absolute) => Write(Build(data, absolute, "feed.rss", "application/rss+xml", summaries: false), feed => new Rss20FeedFormatter(feed, serializeExtensionsAsAtom: true));

    /// <param name="summaries">Atom carries a summary beside the content; RSS has one description, which then holds the content.</param>
    private SyndicationFeed Build(PublicPageData data, Func<string, string> absolute, string self, string selfType, bool summaries)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(absolute);
        var pageUrl = new Uri(absolute($"/status/{data.Slug}"));
        var items = new List<SyndicationItem>();
        foreach (var incident in data.Incidents)
        {
            var link = new Uri(absolute($"/status/{data.Slug}/incidents/{incident.Id.ToString(CultureInfo.InvariantCulture)}"));
            var html = new StringBuilder();
            html.Append(CultureInfo.InvariantCulture, $"<p><strong>{IncidentText.Of(incident.Status)}</strong> · impact: {Encode(IncidentText.Of(incident.Impact))}");
            if (incident.Components.Count > 0)
            {
                html.Append(" · affects ").Append(Encode(string.Join(", ", incident.Components.Select(c => c.Name))));
            }

            html.Append("</p>");
            foreach (var update in incident.Updates)
            {
                html.Append(CultureInfo.InvariantCulture, $"<h3>{IncidentText.Of(update.Status)} — {Utc(update.At)}</h3>");
                html.Append(markdown.Render(update.Body).Value);
            }

            var item = new SyndicationItem(
                $"{(incident.Status == IncidentStatus.Resolved ? "Resolved" : IncidentText.Of(incident.Status))}: {incident.Title}",
                new TextSyndicationContent(html.ToString(), TextSyndicationContentKind.Html),
                link, link.AbsoluteUri, incident.UpdatedAt)
            {
                PublishDate = incident.CreatedAt,
                Summary = summaries ? new TextSyndicationContent($"{IncidentText.Of(incident.Status)} — {IncidentText.Hint(incident.Status)}.") : null,
            };
            item.Categories.Add(new SyndicationCategory("incident"));
            items.Add(item);
        }

        foreach (var window in data.Maintenance)
        {
            var id = window.Id.ToString(CultureInfo.InvariantCulture);
            var link = new Uri(absolute($"/status/{data.Slug}#maintenance-{id}"));
            var html = new StringBuilder();
            html.Append(CultureInfo.InvariantCulture, $"<p><strong>{IncidentText.Of(window.Status)}</strong> · {Utc(window.StartsAt)} – {Utc(window.EndsAt)}");
            if (window.Components.Count > 0)
            {
                html.Append(" · affects ").Append(Encode(string.Join(", ", window.Components.Select(c => c.Name))));
            }

            html.Append("</p>").Append(markdown.Render(window.Body).Value);
            var item = new SyndicationItem(
                $"Maintenance ({IncidentText.Of(window.Status).ToLowerInvariant()}): {window.Title}",
                new TextSyndicationContent(html.ToString(), TextSyndicationContentKind.Html),
                link, $"{pageUrl.AbsoluteUri}#maintenance-{id}", window.CreatedAt)
            {
                PublishDate = window.CreatedAt,
                Summary = summaries ? new TextSyndicationContent($"Planned from {Utc(window.StartsAt)} to {Utc(window.EndsAt)}.") : null,
            };
            item.Categories.Add(new SyndicationCategory("maintenance"));
            items.Add(item);
        }

        items.Sort((a, b) => b.LastUpdatedTime.CompareTo(a.LastUpdatedTime));
        var feed = new SyndicationFeed(
            $"{data.Name} status",
            string.IsNullOrWhiteSpace(data.Description) ? $"Incidents and maintenance of {data.Name}" : data.Description,
            pageUrl, pageUrl.AbsoluteUri, items.Select(i => i.LastUpdatedTime).Append(data.CreatedAt).Max(), items)
        {
            Language = "en",
            Generator = "Watchtower",
        };
        feed.Authors.Add(new SyndicationPerson { Name = data.Name, Uri = pageUrl.AbsoluteUri });
        feed.Links.Add(SyndicationLink.CreateSelfLink(new Uri(absolute($"/status/{data.Slug}/{self}")), selfType));
        return feed;
    }

    private static byte[] Write(SyndicationFeed feed, Func<SyndicationFeed, SyndicationFeedFormatter> formatter)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            formatter(feed).WriteTo(writer);
        }

        return stream.ToArray();
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
