using Ganss.Xss;
using Markdig;
using Microsoft.AspNetCore.Html;

namespace Watchtower.Monitoring.Incidents;

/// <summary>
/// Incident updates and maintenance notices: Markdown (Markdig, raw HTML disabled) and then
/// HtmlSanitizer with a short list of text tags, so no script, event attribute, style, image or
/// <c>javascript:</c>/<c>data:</c> link ever reaches a public page. Links open as plain outbound
/// links (<c>rel="nofollow noopener noreferrer"</c>). Stored as Markdown, rendered on display.
/// </summary>
public sealed class IncidentMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml() // "<script>" is shown as text, never parsed as markup
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private readonly HtmlSanitizer sanitizer;

    public IncidentMarkdown()
    {
        var options = HtmlSanitizerOptions.Empty();
        foreach (var tag in new[] { "p", "br", "strong", "em", "del", "code", "pre", "ul", "ol", "li", "blockquote", "a", "hr" })
        {
            options.AllowedTags.Add(tag);
        }

        options.AllowedAttributes.Add("href");
        options.AllowedAttributes.Add("start");
        options.UriAttributes.Add("href");
        options.AllowedSchemes.Add("http");
        options.AllowedSchemes.Add("https");
        options.AllowedSchemes.Add("mailto");
        // A heading or an image in the text keeps its words as plain text: headings would break the
        // page's outline, and images would let a page load (and track readers through) any address.
        sanitizer = new HtmlSanitizer(options) { KeepChildNodes = true };
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { LocalName: "a" } link)
            {
                link.SetAttribute("rel", "nofollow noopener noreferrer");
            }
        };
    }

    /// <summary>Safe HTML for <paramref name="markdown"/>; empty for null or blank text.</summary>
    public HtmlString Render(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return HtmlString.Empty;
        }

        var html = Markdown.ToHtml(markdown, Pipeline);
        return new HtmlString(sanitizer.Sanitize(html));
    }
}
