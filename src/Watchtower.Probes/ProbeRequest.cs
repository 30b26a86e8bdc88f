namespace Watchtower.Probes;

/// <summary>What to probe. Built from a stored check; carries no database identity.</summary>
/// <param name="Kind">Which probe runs.</param>
/// <param name="Host">A DNS name (ASCII/punycode), an IPv4 literal, or an IPv6 literal without brackets.</param>
/// <param name="Port">1–65535 for kinds that dial a port.</param>
/// <param name="Timeout">The whole probe's budget; the runner enforces it.</param>
public sealed record ProbeRequest(ProbeKind Kind, string Host, int Port, TimeSpan Timeout)
{
    /// <summary>For <see cref="ProbeKind.Tcp"/>: which service to speak to once connected.</summary>
    public Tcp.TcpProbeOptions Tcp { get; init; } = global::Watchtower.Probes.Tcp.TcpProbeOptions.PortOpen;

    /// <summary>For <see cref="ProbeKind.Ssl"/>: SNI name and STARTTLS protocol.</summary>
    public Ssl.SslProbeOptions Ssl { get; init; } = global::Watchtower.Probes.Ssl.SslProbeOptions.Default;

    /// <summary>For <see cref="ProbeKind.Http"/>: the URL, method and expectations.</summary>
    public Http.HttpProbeOptions Http { get; init; } = global::Watchtower.Probes.Http.HttpProbeOptions.Default;

    /// <summary>For <see cref="ProbeKind.Dns"/>: record type, resolver and expectation.</summary>
    public Dns.DnsProbeOptions Dns { get; init; } = global::Watchtower.Probes.Dns.DnsProbeOptions.Default;
}
