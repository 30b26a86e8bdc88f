using System.Collections.Frozen;
using System.Net.Http.Headers;

namespace Watchtower.Probes.Http;

/// <summary>One request header an HTTP check sends.</summary>
public sealed record HttpHeader(string Name, string Value);

/// <summary>An HTTP(S) check: a URL, how to ask, and what the answer must be.</summary>
public sealed record HttpSettings : IKindSettings
{
    public ProbeKind Kind => ProbeKind.Http;

    /// <summary>An absolute http:// or https:// URL. The host and port are taken from it.</summary>
    public string Url { get; init; } = "";

    /// <summary>GET, HEAD or POST.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>The body of a POST.</summary>
    public string? Body { get; init; }

    /// <summary>The body's media type; empty means a Content-Type request header, or else application/json.</summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// Extra request headers. Content headers (Content-Language…) describe the body and are sent with
    /// it; <see cref="ForbiddenHeaders"/> are refused by the form and ignored by the probe.
    /// </summary>
    public List<HttpHeader> Headers { get; init; } = [];

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

    /// <summary>For https URLs: a certificate expiring within this many days makes the check degraded.</summary>
    public int CertificateWarningDays { get; init; } = 14;

    public string Target => Url;

    /// <summary>
    /// Request headers a check may not set: the client derives them from the URL and the body, or
    /// they manage the connection, and a wrong one makes the request malformed rather than testing anything.
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
