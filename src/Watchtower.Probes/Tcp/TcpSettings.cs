using System.Globalization;

namespace Watchtower.Probes.Tcp;

public enum PayloadFormat
{
    /// <summary>Text with escapes: \r \n \t \0 \\ and \xHH.</summary>
    Text = 0,
    /// <summary>Hex digits, spaces allowed: "16 03 01".</summary>
    Hex,
}

public enum ExpectMode
{
    Contains = 0,
    Regex,
}

/// <summary>A TCP check: a port, and what to speak once connected.</summary>
public sealed record TcpSettings : IKindSettings
{
    public ProbeKind Kind => ProbeKind.Tcp;

    /// <summary>Normalized: an ASCII DNS name, an IPv4 literal, or an IPv6 literal without brackets.</summary>
    public string Host { get; init; } = "";

    public int Port { get; init; }

    public TcpService Service { get; init; } = TcpService.PortOpen;

    /// <summary>SMTP, IMAP, POP3: upgrade the plain connection with STARTTLS (STLS for POP3).</summary>
    public bool StartTls { get; init; }

    /// <summary>Custom: start TLS as soon as the connection is open (implicit TLS), then send and expect.</summary>
    public bool ImplicitTls { get; init; }

    /// <summary>The name sent as SNI and checked against the certificate; null means the host.</summary>
    public string? CertificateName { get; init; }

    /// <summary>Custom: bytes to send after connecting (optional).</summary>
    public string? Send { get; init; }

    public PayloadFormat SendFormat { get; init; }

    /// <summary>Custom: what the reply must contain or match (optional).</summary>
    public string? Expect { get; init; }

    public ExpectMode ExpectMode { get; init; }

    /// <summary>How long to wait for each answer once connected (greeting, reply, TLS handshake).</summary>
    public int ReadTimeoutSeconds { get; init; } = 5;

    /// <summary>When the service speaks TLS: a certificate expiring within this many days makes the check degraded.</summary>
    public int CertificateWarningDays { get; init; } = 14;

    /// <summary>True when the conversation runs over TLS: an implicit-TLS service, a STARTTLS upgrade, or custom TLS.</summary>
    public bool UsesTls => TcpServices.UsesTls(this);

    public string Target => FormatEndpoint(Host, Port);

    /// <summary>"db.example.com:5432", "203.0.113.5:25", "[2001:db8::1]:22".</summary>
    public static string FormatEndpoint(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Contains(':', StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"[{host}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
    }
}
