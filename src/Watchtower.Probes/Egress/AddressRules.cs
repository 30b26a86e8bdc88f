using System.Net;
using System.Net.Sockets;

namespace Watchtower.Probes.Egress;

/// <summary>How an address range is treated.</summary>
internal enum RangeTreatment
{
    /// <summary>Never dialled (not a unicast host, or a cloud metadata service).</summary>
    AlwaysBlocked,
    /// <summary>Dialled only when the operator allows private targets.</summary>
    Private,
}

internal sealed record AddressRule(IPNetwork Network, string Category, RangeTreatment Treatment);

/// <summary>
/// The IANA special-purpose address registries (IPv4 and IPv6), plus cloud metadata addresses:
/// every range that is not globally reachable unicast.
/// </summary>
internal static class AddressRules
{
    public static readonly IReadOnlyList<AddressRule> All =
    [
        // Metadata services first: the most specific match wins, and these stay blocked even when private targets are allowed.
        Rule("169.254.169.254/32", "a cloud metadata address", RangeTreatment.AlwaysBlocked),
        Rule("169.254.170.2/32", "a cloud metadata address", RangeTreatment.AlwaysBlocked),
        Rule("100.100.100.200/32", "a cloud metadata address", RangeTreatment.AlwaysBlocked),
        Rule("fd00:ec2::254/128", "a cloud metadata address", RangeTreatment.AlwaysBlocked),

        // IPv4 (RFC 6890 and the IANA IPv4 special-purpose registry).
        Rule("0.0.0.0/8", "a \"this network\" address", RangeTreatment.AlwaysBlocked),
        Rule("10.0.0.0/8", "a private address", RangeTreatment.Private),
        Rule("100.64.0.0/10", "a carrier-grade NAT (shared) address", RangeTreatment.Private),
        Rule("127.0.0.0/8", "a loopback address", RangeTreatment.Private),
        Rule("169.254.0.0/16", "a link-local address", RangeTreatment.Private),
        Rule("172.16.0.0/12", "a private address", RangeTreatment.Private),
        Rule("192.0.0.0/24", "an IETF protocol address", RangeTreatment.Private),
        Rule("192.0.2.0/24", "a documentation address", RangeTreatment.Private),
        Rule("192.31.196.0/24", "an AS112 address", RangeTreatment.Private),
        Rule("192.52.193.0/24", "an AMT address", RangeTreatment.Private),
        Rule("192.88.99.0/24", "a deprecated 6to4 relay address", RangeTreatment.AlwaysBlocked),
        Rule("192.168.0.0/16", "a private address", RangeTreatment.Private),
        Rule("192.175.48.0/24", "an AS112 address", RangeTreatment.Private),
        Rule("198.18.0.0/15", "a benchmarking address", RangeTreatment.Private),
        Rule("198.51.100.0/24", "a documentation address", RangeTreatment.Private),
        Rule("203.0.113.0/24", "a documentation address", RangeTreatment.Private),
        Rule("224.0.0.0/4", "a multicast address", RangeTreatment.AlwaysBlocked),
        Rule("240.0.0.0/4", "a reserved address", RangeTreatment.AlwaysBlocked),

        // IPv6 (IANA IPv6 special-purpose registry).
        Rule("::/128", "the unspecified address", RangeTreatment.AlwaysBlocked),
        Rule("::1/128", "a loopback address", RangeTreatment.Private),
        Rule("64:ff9b:1::/48", "a local-use NAT64 address", RangeTreatment.Private),
        Rule("100::/64", "a discard-only address", RangeTreatment.AlwaysBlocked),
        Rule("100:0:0:1::/64", "a dummy IPv6 prefix", RangeTreatment.AlwaysBlocked),
        Rule("2001::/23", "an IETF protocol address", RangeTreatment.Private),
        Rule("2001:db8::/32", "a documentation address", RangeTreatment.Private),
        Rule("2620:4f:8000::/48", "an AS112 address", RangeTreatment.Private),
        Rule("3fff::/20", "a documentation address", RangeTreatment.Private),
        Rule("5f00::/16", "a segment-routing address", RangeTreatment.Private),
        Rule("fc00::/7", "a unique-local (private) address", RangeTreatment.Private),
        Rule("fe80::/10", "a link-local address", RangeTreatment.Private),
        Rule("fec0::/10", "a deprecated site-local address", RangeTreatment.Private),
        Rule("ff00::/8", "a multicast address", RangeTreatment.AlwaysBlocked),
    ];

    private static readonly IPNetwork Mapped = IPNetwork.Parse("::ffff:0:0/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>
    /// An IPv6 address that carries an IPv4 address (mapped, NAT64, 6to4) is judged by that IPv4
    /// address, so ::ffff:127.0.0.1 or 64:ff9b::a9fe:a9fe cannot sneak past the IPv4 rules.
    /// </summary>
    public static IPAddress Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6 || Mapped.Contains(address))
        {
            return address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (Nat64.Contains(address))
        {
            return new IPAddress(bytes[12..]);
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes[2..6]) : address;
    }

    /// <summary>
    /// Global unicast IPv6 is 2000::/3 (RFC 4291, IANA's allocations); an address outside it that no
    /// rule above names (the deprecated IPv4-compatible ::a.b.c.d, unassigned space) is not a host
    /// on the internet.
    /// </summary>
    private static readonly AddressRule OutsideGlobalUnicast = Rule("::/0", "a reserved IPv6 address", RangeTreatment.AlwaysBlocked);

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    /// <summary>The most specific rule that contains the address, or null for global unicast.</summary>
    public static AddressRule? Match(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        AddressRule? best = null;
        foreach (var rule in All)
        {
            if (rule.Network.BaseAddress.AddressFamily == address.AddressFamily && rule.Network.Contains(address)
                && (best is null || rule.Network.PrefixLength > best.Network.PrefixLength))
            {
                best = rule;
            }
        }

        if (best is null && address.AddressFamily == AddressFamily.InterNetworkV6 && !GlobalUnicast.Contains(address))
        {
            return OutsideGlobalUnicast;
        }

        return best;
    }

    private static AddressRule Rule(string cidr, string category, RangeTreatment treatment) =>
        new(IPNetwork.Parse(cidr), category, treatment);
}
