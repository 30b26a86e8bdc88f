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

/// <summary>The TCP-specific part of a probe request.</summary>
public sealed record TcpProbeOptions
{
    public static readonly TcpProbeOptions PortOpen = new();

    public TcpService Service { get; init; } = TcpService.PortOpen;

    /// <summary>SMTP, IMAP, POP3: upgrade the plain connection with STARTTLS (STLS for POP3).</summary>
    public bool StartTls { get; init; }

    /// <summary>Custom: bytes to send after connecting (optional).</summary>
    public string? Send { get; init; }

    public PayloadFormat SendFormat { get; init; }

    /// <summary>Custom: what the reply must contain or match (optional).</summary>
    public string? Expect { get; init; }

    public ExpectMode ExpectMode { get; init; }

    /// <summary>How long to wait for each answer once connected.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The name sent as SNI and checked against the certificate; defaults to the host.</summary>
    public string? TlsServerName { get; init; }
}
