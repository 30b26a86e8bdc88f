using Watchtower.Probes.Tcp;

namespace Watchtower.Probes.Ssl;

/// <summary>How to reach the TLS handshake: directly (implicit TLS) or after a STARTTLS exchange.</summary>
public enum StartTlsProtocol
{
    None = 0,
    Smtp,
    Imap,
    Pop3,
}

/// <summary>An SSL certificate check: reach a TLS handshake and judge the certificate presented.</summary>
public sealed record SslSettings : IKindSettings
{
    public ProbeKind Kind => ProbeKind.Ssl;

    public string Host { get; init; } = "";

    public int Port { get; init; } = 443;

    /// <summary>The SNI name and the name the certificate must be valid for; null means the host.</summary>
    public string? ServerName { get; init; }

    public StartTlsProtocol StartTls { get; init; }

    /// <summary>How long to wait for each answer once connected: the STARTTLS greeting and the handshake.</summary>
    public int ReadTimeoutSeconds { get; init; } = 5;

    /// <summary>A certificate expiring within this many days makes the check degraded.</summary>
    public int WarningDays { get; init; } = 14;

    /// <summary>A certificate expiring within this many days makes the check down.</summary>
    public int CriticalDays { get; init; } = 3;

    public string Target => TcpSettings.FormatEndpoint(Host, Port);
}
