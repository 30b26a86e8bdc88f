using System.Net;
using System.Net.Sockets;

namespace Watchtower.Probes.Egress;

/// <summary>How an address range is treated. Declared strictest first: when one address matches several ways, the strictest wins.</summary>
public enum RangeTreatment
{
    /// <summary>Never dialled, whatever the operator configures: platform endpoints (cloud metadata, Azure WireServer) and addresses that are not a host at all.</summary>
    Never,
    /// <summary>Dialled only when the operator names the address in <see cref="EgressOptions.AllowedAddresses"/>.</summary>
    AlwaysBlocked,
    /// <summary>Dialled when the operator allows private targets, or names the address.</summary>
    Private,
}

/// <summary>One range of the egress guard's list: what it is and how it is treated.</summary>
/// <param name="Platform">For a platform endpoint: whose, e.g. "AWS, Azure, GCP … instance metadata".</param>
public sealed record AddressRule(IPNetwork Network, string Category, RangeTreatment Treatment, string? Platform = null);

/// <summary>
/// The IANA special-purpose address registries (IPv4 and IPv6) plus the cloud platform endpoints:
/// every range that is not globally reachable unicast. docs/checks.md ("What probes may dial")
/// holds the same list with a source per row; a test keeps the two in step. Public so that the
/// list can be shown and checked; <see cref="EgressGuard"/> is what applies it.
/// </summary>
public static class AddressRules
{
    private const string Metadata = "a cloud metadata address";

    public static readonly IReadOnlyList<AddressRule> All =
    [
        // Platform endpoints first: the most specific match wins, so these beat the range around them.
        // They hand out credentials or control the machine; no setting lets a probe dial them.
        Rule("169.254.169.254/32", Metadata, RangeTreatment.Never, "AWS, Azure, GCP, Oracle, DigitalOcean and OpenStack instance metadata"),
        Rule("fd00:ec2::254/128", Metadata, RangeTreatment.Never, "AWS instance metadata over IPv6"),
        Rule("169.254.170.2/32", Metadata, RangeTreatment.Never, "AWS ECS task metadata and credentials"),
        Rule("169.254.170.23/32", Metadata, RangeTreatment.Never, "AWS EKS Pod Identity credentials"),
        Rule("fd00:ec2::23/128", Metadata, RangeTreatment.Never, "AWS EKS Pod Identity credentials over IPv6"),
        Rule("168.63.129.16/32", Metadata, RangeTreatment.Never, "Azure WireServer and host health endpoint"),
        Rule("100.100.100.200/32", Metadata, RangeTreatment.Never, "Alibaba Cloud instance metadata"),
        Rule("169.254.0.23/32", Metadata, RangeTreatment.Never, "Tencent Cloud instance metadata"),
        Rule("192.0.0.192/32", Metadata, RangeTreatment.Never, "Oracle Cloud Classic instance metadata"),
        Rule("fe80::a9fe:a9fe/128", Metadata, RangeTreatment.Never, "OpenStack instance metadata over IPv6"),

        // IPv4 (the IANA IPv4 special-purpose registry).
        Rule("0.0.0.0/8", "a \"this network\" address (Linux dials 0.0.0.0 as this machine)", RangeTreatment.Never),
        Rule("10.0.0.0/8", "a private address", RangeTreatment.Private),
        Rule("100.64.0.0/10", "a carrier-grade NAT (shared) address", RangeTreatment.Private),
        Rule("127.0.0.0/8", "a loopback address", RangeTreatment.Private),
        // The link is where the platform's own services live (metadata, time, DNS, agents), not the owner's.
        Rule("169.254.0.0/16", "a link-local address", RangeTreatment.AlwaysBlocked),
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
        Rule("224.0.0.0/4", "a multicast address", RangeTreatment.Never),
        Rule("240.0.0.0/4", "a reserved address", RangeTreatment.AlwaysBlocked),
        Rule("255.255.255.255/32", "the broadcast address", RangeTreatment.Never),

        // IPv6 (the IANA IPv6 special-purpose registry).
        Rule("::/128", "the unspecified address", RangeTreatment.Never),
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
        // AWS answers its IPv6 platform services (metadata, DNS, time, Pod Identity) inside this prefix.
        Rule("fd00:ec2::/32", "an AWS platform address", RangeTreatment.AlwaysBlocked),
        Rule("fe80::/10", "a link-local address", RangeTreatment.AlwaysBlocked),
        Rule("fec0::/10", "a deprecated site-local address", RangeTreatment.Private),
        Rule("ff00::/8", "a multicast address", RangeTreatment.Never),
    ];

    private static readonly IPNetwork Mapped = IPNetwork.Parse("::ffff:0:0/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork LocalNat64 = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");

    /// <summary>IPv6 forms that only carry an IPv4 address (mapped, NAT64, 6to4): an entry of the allow-list must name that IPv4 address instead.</summary>
    public static bool IsIPv4Carrier(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && (Contains(Mapped, address) || Contains(Nat64, address) || Contains(SixToFour, address));

    /// <summary>
    /// The addresses an address is judged as, in the order their refusals are reported. An IPv6
    /// address that carries an IPv4 address reaches that IPv4 host, so it is judged by it:
    /// mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96 and 6to4 2002:AABB:CCDD:: by the IPv4 address
    /// alone (the carrier is no host of its own); local-use NAT64 (RFC 8215, its /96 form) and
    /// Teredo (RFC 4380: the client's address, inverted, in the last 32 bits) by both the IPv6
    /// address and the IPv4 one, so 2001:0:…:5601:5601 cannot reach 169.254.169.254 through a
    /// Teredo relay when private targets are allowed.
    /// </summary>
    public static IEnumerable<IPAddress> JudgedAs(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            yield return address;
            yield break;
        }

        var bytes = address.GetAddressBytes();
        if (address.IsIPv4MappedToIPv6)
        {
            yield return new IPAddress(bytes.AsSpan(12));
        }
        else if (Contains(Nat64, address))
        {
            yield return new IPAddress(bytes.AsSpan(12));
        }
        else if (Contains(SixToFour, address))
        {
            yield return new IPAddress(bytes.AsSpan(2, 4));
        }
        else if (Contains(LocalNat64, address))
        {
            yield return address;
            yield return new IPAddress(bytes.AsSpan(12));
        }
        else if (Contains(Teredo, address))
        {
            yield return address;
            var client = bytes[12..];
            for (var i = 0; i < client.Length; i++)
            {
                client[i] = (byte)~client[i];
            }

            yield return new IPAddress(client);
        }
        else
        {
            yield return address;
        }
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
            if (Contains(rule.Network, address)
                && (best is null || rule.Network.PrefixLength > best.Network.PrefixLength))
            {
                best = rule;
            }
        }

        if (best is null && address.AddressFamily == AddressFamily.InterNetworkV6 && !Contains(GlobalUnicast, address))
        {
            return OutsideGlobalUnicast;
        }

        return best;
    }

    /// <summary>
    /// True when the address lies in the network: same family, same leading bits; a zone
    /// (fe80::a9fe:a9fe%eth0) changes nothing. Not IPNetwork.Contains, which on .NET 10 maps an
    /// IPv4-mapped address to IPv4 first and then answers true for IPv6 networks it is not in
    /// (fc00::/7 "contains" ::ffff:1.1.1.1) and false for ::ffff:0:0/96, which it is in.
    /// </summary>
    public static bool Contains(IPNetwork network, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (network.BaseAddress.AddressFamily != address.AddressFamily)
        {
            return false;
        }

        Span<byte> want = stackalloc byte[16];
        Span<byte> have = stackalloc byte[16];
        network.BaseAddress.TryWriteBytes(want, out var length);
        address.TryWriteBytes(have, out _);
        var bits = network.PrefixLength;
        for (var i = 0; i < length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? (byte)0xFF : (byte)(0xFF << (8 - bits));
            if ((want[i] & mask) != (have[i] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static AddressRule Rule(string cidr, string category, RangeTreatment treatment, string? platform = null) =>
        new(IPNetwork.Parse(cidr), category, treatment, platform);
}
