namespace Watchtower.Probes.Dns;

/// <summary>The record types a DNS check can ask for. Stored by name.</summary>
public enum DnsRecordType
{
    A = 0,
    AAAA,
    CNAME,
    MX,
    NS,
    TXT,
    CAA,
    SOA,
    SRV,
#pragma warning disable CA1720 // PTR is the record type's name.
    PTR,
#pragma warning restore CA1720
}

public enum DnsExpectation
{
    /// <summary>At least one answer of the asked type.</summary>
    AnyAnswer = 0,
    /// <summary>The answers include every expected value.</summary>
    Contains,
    /// <summary>The answers are exactly the expected values (order does not matter).</summary>
    Equals,
}

/// <summary>How the question travels to the resolver.</summary>
public enum DnsTransport
{
    /// <summary>UDP, and TCP when the answer is truncated (what resolvers do).</summary>
    Udp = 0,
    /// <summary>TCP only: checks that the resolver answers over TCP (large answers, DNSSEC, zone tooling need it).</summary>
    Tcp,
}

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
