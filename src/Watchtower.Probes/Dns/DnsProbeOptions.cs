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

/// <summary>The DNS-specific part of a probe request; the request's host is the name to look up (an IP for PTR).</summary>
public sealed record DnsProbeOptions
{
    public static readonly DnsProbeOptions Default = new();

    public DnsRecordType RecordType { get; init; } = DnsRecordType.A;

    /// <summary>"203.0.113.53" or "203.0.113.53:5353" or "[2001:db8::53]:53"; null asks the system's resolvers.</summary>
    public string? Resolver { get; init; }

    public DnsExpectation Expectation { get; init; }

    public IReadOnlyList<string> Values { get; init; } = [];
}
