namespace Watchtower.Probes;

/// <summary>
/// The settings of one kind of check: the one shape the form binds, the database stores (as JSON),
/// the engine hands to the probe and the evaluator judges against. One record per kind:
/// <see cref="Tcp.TcpSettings"/>, <see cref="Http.HttpSettings"/>, <see cref="Dns.DnsSettings"/>,
/// <see cref="Ssl.SslSettings"/>, <see cref="Seo.SeoSettings"/>.
/// </summary>
public interface IKindSettings
{
    ProbeKind Kind { get; }

    /// <summary>What the check looks at, in one line: "mail.example.com:25", "https://example.com/", "MX example.com".</summary>
    string Target { get; }
}
