namespace Watchtower.Probes.Http;

/// <summary>One request of the redirect chain: where, and what it answered.</summary>
public sealed record HttpHop(string Url, int Status);

/// <summary>What an HTTP check measured.</summary>
public sealed record HttpFacts
{
    public int StatusCode { get; init; }
    public string FinalUrl { get; init; } = "";
    public IReadOnlyList<HttpHop> Redirects { get; init; } = [];
    public long BodyBytes { get; init; }
    public string? ContentType { get; init; }
}
