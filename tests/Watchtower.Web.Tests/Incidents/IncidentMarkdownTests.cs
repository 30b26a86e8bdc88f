using Watchtower.Monitoring.Incidents;
using Watchtower.Web.Incidents;

namespace Watchtower.Web.Tests.Incidents;

/// <summary>Markdown becomes a short list of text tags; nothing that runs, loads or styles anything reaches the page.</summary>
public sealed class IncidentMarkdownTests
{
    private static readonly IncidentMarkdown Markdown = new();

    [Fact]
    public void Ordinary_markdown_keeps_its_formatting_and_links_are_plain_outbound_links()
    {
        var html = Markdown.Render("We **found** the cause:\n\n- a *full* disk\n- see [the notes](https://example.com/notes)\n\n`df -h`").Value!;
        Assert.Contains("<strong>found</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<li>a <em>full</em> disk</li>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.com/notes\" rel=\"nofollow noopener noreferrer\">the notes</a>", html, StringComparison.Ordinal);
        Assert.Contains("<code>df -h</code>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "<script")]
    [InlineData("Hi <img src=x onerror=alert(1)>", "<img")]
    [InlineData("<a href=\"https://example.com\" onclick=\"alert(1)\">x</a>", "<a href=\"https://example.com\" onclick")]
    [InlineData("<div onmouseover=\"alert(1)\">x</div>", "<div")]
    [InlineData("<style>body{display:none}</style>", "<style")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>", "<iframe")]
    [InlineData("[click](javascript:alert(1))", "javascript:")]
    [InlineData("[click](JaVaScRiPt:alert(1))", "avascript:")]
    [InlineData("[click](  javascript:alert(1) )", "javascript:")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "data:")]
    [InlineData("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", "data:")]
    [InlineData("![tracker](https://evil.example/pixel.gif)", "<img")]
    [InlineData("<https://example.com\" onmouseover=\"alert(1)>", "<https")]
    [InlineData("[x](vbscript:msgbox(1))", "vbscript:")]
    public void Hostile_text_is_shown_harmless(string markdown, string absent)
    {
        var html = Markdown.Render(markdown).Value!;
        Assert.DoesNotContain(absent, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("<[a-z]+[^>]*\\son[a-z]+=", html);
    }

    [Fact]
    public void Raw_html_is_shown_as_text_and_headings_keep_their_words_without_breaking_the_outline()
    {
        Assert.Contains("&lt;script&gt;", Markdown.Render("<script>alert(1)</script>").Value!, StringComparison.Ordinal);
        var heading = Markdown.Render("# Update\n\nText").Value!;
        Assert.DoesNotContain("<h1", heading, StringComparison.Ordinal);
        Assert.Contains("Update", heading, StringComparison.Ordinal);
        Assert.Equal("", Markdown.Render("   ").Value);
    }
}
