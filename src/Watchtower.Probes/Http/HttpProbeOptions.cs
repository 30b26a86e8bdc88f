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

    public string? ContentType { get; init; }

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
}
