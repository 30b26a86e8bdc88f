namespace Watchtower.Probes.Ssl;

/// <summary>How to reach the TLS handshake: directly (implicit TLS) or after a STARTTLS exchange.</summary>
public enum StartTlsProtocol
{
    None = 0,
    Smtp,
    Imap,
    Pop3,
}

/// <summary>The SSL-certificate-specific part of a probe request.</summary>
public sealed record SslProbeOptions
{
    public static readonly SslProbeOptions Default = new();

    /// <summary>The SNI name and the name the certificate must be valid for; defaults to the host.</summary>
    public string? ServerName { get; init; }

    public StartTlsProtocol StartTls { get; init; }
}
