using System.Collections.Frozen;
using System.Net.Http.Headers;

namespace Watchtower.Probes.Http;

/// <summary>The HTTP-specific part of a probe request.</summary>
public sealed record HttpProbeOptions
{
    public static readonly HttpProbeOptions Default = new();

    /// <summary>http:// or https:// URL. The request's host and port are taken from it.</summary>
    public string Url { get; init; } = "";

    /// <summary>GET, HEAD or POST.</summary>
    public string Method { get; init; } = "GET";

    public string? Body { get; init; }

    /// <summary>The body's media type; empty means a Content-Type request header, or else application/json.</summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// Extra request headers. Content headers (Content-Type, Content-Language…) describe the body and
    /// are sent with it; <see cref="ForbiddenHeaders"/> are ignored.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>"200-399", "200,204", "301-308,200".</summary>
    public string ExpectedStatus { get; init; } = "200-399";

    public string? MustContain { get; init; }

    public string? MustNotContain { get; init; }

    /// <summary>The keywords are regular expressions rather than plain text.</summary>
    public bool KeywordsAreRegex { get; init; }

    public bool FollowRedirects { get; init; } = true;

    public int MaxRedirects { get; init; } = 5;

    /// <summary>Off still reports the certificate; it only stops an invalid one from failing the request.</summary>
    public bool VerifyTls { get; init; } = true;

    /// <summary>
    /// Request headers a check may not set: the client derives them from the URL and the body, or
    /// they manage the connection, and a wrong one makes the request malformed rather than testing
    /// anything. The probe ignores them (and says so); the form should refuse them.
    /// </summary>
    public static IReadOnlyCollection<string> ForbiddenHeaders { get; } =
        ["Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Proxy-Connection", "Upgrade", "TE", "Trailer"];

    private static readonly FrozenSet<string> Forbidden = ForbiddenHeaders.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when a check may not set the request header <paramref name="name"/> (see <see cref="ForbiddenHeaders"/>; HTTP/2 pseudo-headers such as :authority too).</summary>
    public static bool IsForbiddenHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        return trimmed.StartsWith(':') || Forbidden.Contains(trimmed);
    }

    /// <summary>
    /// True when <paramref name="contentType"/> is a media type the probe can send ("application/json",
    /// "text/plain; charset=utf-8"), or empty (the default is used). "json" is not.
    /// </summary>
    public static bool IsValidContentType(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) || MediaTypeHeaderValue.TryParse(contentType.Trim(), out _);
}
