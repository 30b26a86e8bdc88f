namespace Watchtower.Probes.Dns;

/// <summary>How the question travels to the resolver.</summary>
public enum DnsTransport
{
    /// <summary>UDP, and TCP when the answer is truncated (what resolvers do).</summary>
    Udp = 0,
    /// <summary>TCP only: checks that the resolver answers over TCP (large answers, DNSSEC, zone tooling need it).</summary>
    Tcp,
}
