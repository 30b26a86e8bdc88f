namespace Watchtower.Probes.Tls;

/// <summary>What a TLS peer's certificate says, and whether it validates for the name dialled.</summary>
public sealed record CertificateFacts
{
    public required string Subject { get; init; }
    public required string Issuer { get; init; }
    public DateTimeOffset NotBefore { get; init; }
    public DateTimeOffset NotAfter { get; init; }
    public IReadOnlyList<string> DnsNames { get; init; } = [];
    public string Thumbprint { get; init; } = "";

    /// <summary>True when the chain builds to a trusted root and the name matches.</summary>
    public bool Valid { get; init; }

    /// <summary>Why it does not validate ("the name does not match", "untrusted root"); empty when valid.</summary>
    public string Problem { get; init; } = "";

    public int DaysLeft(DateTimeOffset now) => (int)Math.Floor((NotAfter - now).TotalDays);
}
