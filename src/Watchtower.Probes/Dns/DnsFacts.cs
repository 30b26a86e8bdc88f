namespace Watchtower.Probes.Dns;

/// <summary>One answer record: its value in presentation form and its TTL.</summary>
public sealed record DnsAnswer(string Value, int Ttl);

/// <summary>What a DNS lookup returned.</summary>
public sealed record DnsFacts
{
    /// <summary>"NOERROR", "NXDOMAIN", "SERVFAIL", "REFUSED", …</summary>
    public required string ResponseCode { get; init; }

    public IReadOnlyList<DnsAnswer> Answers { get; init; } = [];

    /// <summary>The server that answered, "ip:port".</summary>
    public required string Server { get; init; }
}
