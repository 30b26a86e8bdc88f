using System.Diagnostics.CodeAnalysis;

namespace Watchtower.Probes.Http;

/// <summary>
/// The redirect rules the HTTP and SEO checks share. Both follow redirects themselves, hop by hop,
/// so that each hop's connection passes the egress guard and the chain can be reported.
/// </summary>
internal static class Redirects
{
    public static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>
    /// The method of the next hop, as browsers do it (Fetch standard): 303 turns everything but HEAD
    /// into GET, 301 and 302 turn POST into GET (both drop the body); 307 and 308 keep the method and body.
    /// </summary>
    public static HttpMethod NextMethod(HttpMethod method, int status) => status switch
    {
        303 when method != HttpMethod.Head => HttpMethod.Get,
        301 or 302 when method == HttpMethod.Post => HttpMethod.Get,
        _ => method,
    };

    /// <summary>True when the response names where to go next (valid or not); a redirect status without Location is a final answer.</summary>
    public static bool HasLocation(HttpResponseMessage response) =>
        response.Headers.Location is not null || response.Headers.Contains("Location");

    /// <summary>The absolute URL a redirect points to, or why it cannot be followed (not a URL, not http or https).</summary>
    public static bool TryNext(Uri current, HttpResponseMessage response, [NotNullWhen(true)] out Uri? next, out string problem)
    {
        next = null;
        problem = "";
        var raw = response.Headers.TryGetValues("Location", out var values) ? values.FirstOrDefault() ?? "" : "";
        if (response.Headers.Location is not { } location || !Uri.TryCreate(current, location, out var target))
        {
            problem = $"Redirected to “{Shorten(raw)}”, which is not a URL.";
            return false;
        }

        if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
        {
            // Handing ftp:, file: or javascript: to the HTTP client would throw; say what happened instead.
            problem = $"Redirected to an address with the {target.Scheme}: scheme ({Shorten(target.OriginalString)}); only http and https are followed.";
            return false;
        }

        next = target;
        return true;
    }

    /// <summary>Same scheme, host and port: where the owner's credentials may go (as browsers decide for Authorization).</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>Headers that carry credentials; they are dropped on a redirect to another origin.</summary>
    public static bool IsCredential(string header) =>
        header.Equals("Authorization", StringComparison.OrdinalIgnoreCase)
        || header.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
        || header.Equals("Cookie", StringComparison.OrdinalIgnoreCase);

    public static string TooMany(int followed, HttpResponseMessage response) =>
        $"Stopped after {followed} redirect{(followed == 1 ? "" : "s")}; the next one went to {Shorten(response.Headers.Location?.OriginalString ?? "")}.";

    private static string Shorten(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 120), "…");
}
