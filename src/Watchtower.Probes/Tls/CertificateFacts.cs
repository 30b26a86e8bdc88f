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

    /// <summary>True when the chain builds to a trusted root, the name matches, and its keys and signatures are strong enough (OpenSSL's security level 2).</summary>
    public bool Valid { get; init; }

    /// <summary>Why it does not validate ("the name does not match", "untrusted root", "its RSA key has 1024 bits…"); empty when valid.</summary>
    public string Problem { get; init; } = "";

    /// <summary>Each problem found, by kind (empty when valid).</summary>
    public IReadOnlyList<CertificateProblem> Problems { get; init; } = [];

    /// <summary>"ECDSA P-256", "RSA 2048", "DSA 1024".</summary>
    public string KeyType { get; init; } = "";

    /// <summary>Size of the certificate's key in bits (2048 for RSA 2048, 256 for P-256); 0 when not known.</summary>
    public int KeyBits { get; init; }

    /// <summary>"sha256ECDSA", "sha256RSA".</summary>
    public string SignatureAlgorithm { get; init; } = "";

    /// <summary>Subjects of the certificates the server sent, leaf first.</summary>
    public IReadOnlyList<string> ChainSent { get; init; } = [];

    /// <summary>Subjects of the chain as built to a root, leaf first (empty when no chain could be built).</summary>
    public IReadOnlyList<string> ChainBuilt { get; init; } = [];
}
