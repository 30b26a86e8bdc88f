namespace Watchtower.Probes.Http;

/// <summary>One request of the redirect chain: where, and what it answered.</summary>
public sealed record HttpHop(string Url, int Status);

/// <summary>What an HTTP check measured.</summary>
public sealed record HttpFacts
{
    public int StatusCode { get; init; }
    public string FinalUrl { get; init; } = "";
    public IReadOnlyList<HttpHop> Redirects { get; init; } = [];

    /// <summary>The bytes read of the body (decompressed); at most 2 MB, see <see cref="BodyTruncated"/>.</summary>
    public long BodyBytes { get; init; }

    /// <summary>The body was longer than 2 MB; only that much was read (and searched for keywords).</summary>
    public bool BodyTruncated { get; init; }

    public string? ContentType { get; init; }

    /// <summary>Whether the body (as read) holds the check's "must contain" keyword; null when the check sets none.</summary>
    public bool? MustContainFound { get; init; }

    /// <summary>Whether the body (as read) holds the check's "must not contain" keyword; null when the check sets none.</summary>
    public bool? MustNotContainFound { get; init; }
}
