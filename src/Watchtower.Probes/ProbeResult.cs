namespace Watchtower.Probes;

/// <summary>
/// The immutable facts one probe run measured. Probes report facts; judging them
/// (up / degraded / down) is the evaluator's job.
/// </summary>
public sealed record ProbeResult
{
    /// <summary>
    /// True when the probe measured what it came for (connected and spoke the protocol, got an HTTP
    /// answer, a DNS response, a certificate). Whether that is good enough is the evaluator's call.
    /// </summary>
    public required bool Success { get; init; }

    public FailureReason Reason { get; init; }

    /// <summary>A short human sentence, e.g. "Connection refused on port 5432".</summary>
    public required string Message { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public ProbeTimings Timings { get; init; } = new();

    /// <summary>The address actually dialled, as "ip:port" ("[v6]:port" for IPv6).</summary>
    public string? RemoteEndpoint { get; init; }

    /// <summary>What the service said (greeting, version), trimmed. Null when nothing was read.</summary>
    public string? Banner { get; init; }

    /// <summary>The certificate the service presented, when TLS was used.</summary>
    public Tls.CertificateFacts? Certificate { get; init; }

    /// <summary>What an HTTP exchange returned (HTTP checks).</summary>
    public Http.HttpFacts? Http { get; init; }

    /// <summary>The problems an SEO check found (empty when none).</summary>
    public IReadOnlyList<Seo.SeoFinding>? Seo { get; init; }

    /// <summary>What a DNS lookup returned (DNS checks).</summary>
    public Dns.DnsFacts? Dns { get; init; }

    /// <summary>What a custom TCP conversation read back (custom checks with an expectation).</summary>
    public Tcp.ReplyFacts? Reply { get; init; }

    /// <summary>The negotiated TLS protocol ("Tls13"), when TLS was used.</summary>
    public string? TlsProtocol { get; init; }

    public static ProbeResult Failed(FailureReason reason, string message) =>
        new() { Success = false, Reason = reason, Message = message };
}
