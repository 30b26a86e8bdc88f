namespace Watchtower.Probes.Ssl;

/// <summary>How to reach the TLS handshake: directly (implicit TLS) or after a STARTTLS exchange.</summary>
public enum StartTlsProtocol
{
    None = 0,
    Smtp,
    Imap,
    Pop3,
}
