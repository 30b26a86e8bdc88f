namespace Watchtower.Probes.Dns;

/// <summary>A DNS check: one question to a resolver, and what the answer must hold.</summary>
public sealed record DnsSettings : IKindSettings
{
    public ProbeKind Kind => ProbeKind.Dns;

    /// <summary>The name to look up (an IP address for PTR), normalized like a host; underscores allowed.</summary>
    public string Name { get; init; } = "";

    public DnsRecordType RecordType { get; init; } = DnsRecordType.A;

    /// <summary>"203.0.113.53", "203.0.113.53:5353" or "[2001:db8::53]:53"; null asks the system's resolvers.</summary>
    public string? Resolver { get; init; }

    public DnsTransport Transport { get; init; }

    public DnsExpectation Expectation { get; init; }

    /// <summary>The values the answers must include or be, in presentation form ("10 mx.example.com" for MX).</summary>
    public List<string> Values { get; init; } = [];

    public string Target => $"{RecordType} {Name}" + (Resolver is { Length: > 0 } resolver ? $" @ {resolver}" : "") + (Transport == DnsTransport.Tcp ? " (TCP)" : "");
}
