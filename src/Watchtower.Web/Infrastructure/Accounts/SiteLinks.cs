using Microsoft.Extensions.Options;

namespace Watchtower.Web.Infrastructure.Accounts;

/// <summary>Bound from <c>Watchtower</c>: the address people reach this instance at.</summary>
public sealed class SiteOptions
{
    /// <summary>
    /// e.g. https://status.example.com — the origin of every link in an email. Required outside
    /// Development: a link built from the request's Host header would let anyone who asks for a
    /// password reset point the emailed link (and its token) at a site of their own.
    /// </summary>
    public Uri? PublicUrl { get; set; }
}

/// <summary>Absolute links for emails.</summary>
public sealed class SiteLinks(IOptions<SiteOptions> options, IHttpContextAccessor http)
{
    /// <summary><paramref name="pathAndQuery"/> (from Url.Page) under PublicUrl, or in Development under the request's own origin.</summary>
    public string Absolute(string pathAndQuery)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathAndQuery);
        var origin = options.Value.PublicUrl?.GetLeftPart(UriPartial.Authority)
            ?? (http.HttpContext?.Request is { } request ? $"{request.Scheme}://{request.Host}" : throw new InvalidOperationException("Set Watchtower:PublicUrl."));
        var basePath = options.Value.PublicUrl?.AbsolutePath.TrimEnd('/') ?? "";
        return origin + basePath + (pathAndQuery.StartsWith('/') ? pathAndQuery : "/" + pathAndQuery);
    }
}
