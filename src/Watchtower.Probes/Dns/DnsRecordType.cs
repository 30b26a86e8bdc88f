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
