using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Watchtower.Probes.Egress;

/// <summary>
/// Reads the entries of <see cref="EgressOptions.AllowedAddresses"/>: one address or CIDR range each,
/// written plainly, so that what the operator reads in the configuration is exactly what is allowed.
/// </summary>
internal static class AllowedAddresses
{
    /// <summary>The networks the entries name; an entry that does not read allows nothing (the validator stops the host first).</summary>
    public static IPNetwork[] Parse(IEnumerable<string> entries) =>
        [.. entries.Select(e => TryParse(e, out var network, out _) ? network : (IPNetwork?)null).OfType<IPNetwork>()];

    /// <summary>One entry: a network, or why it is refused (a sentence to follow the setting's name).</summary>
    public static bool TryParse(string? entry, out IPNetwork network, out string problem)
    {
        network = default;
        problem = "";
        var text = entry?.Trim() ?? "";
        if (text.Length == 0)
        {
            problem = "is empty; write one address (10.20.0.7) or CIDR range (10.20.0.0/24) per entry.";
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!TryReadAddress(addressText, out var address))
        {
            problem = $"“{text}” is not an address or CIDR range; write it like 10.20.0.7, 10.20.0.0/24 or fd12:3456::/48 " +
                      "(IPv4 as four decimal numbers: no hex, octal or short forms; IPv6 without brackets or a zone).";
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
        {
            problem = $"“{text}” has no valid prefix length; use /0 to /{maxPrefix} after the address.";
            return false;
        }

        if (prefix == 0)
        {
            problem = $"“{text}” allows every address, which would switch the egress guard off; name the ranges the probes need.";
            return false;
        }

        var masked = new IPNetwork(Mask(address, prefix), prefix);
        if (!masked.BaseAddress.Equals(address))
        {
            problem = $"“{text}” has bits set after the /{prefix} prefix; write {masked} for the whole range, or {address} alone for the one address.";
            return false;
        }

        if (AddressRules.IsIPv4Carrier(address))
        {
            problem = $"“{text}” is an IPv6 form of IPv4 addresses (mapped, NAT64 or 6to4); probes judge such an address by the IPv4 address it carries, so name that instead.";
            return false;
        }

        if (AddressRules.Match(address) is { Treatment: RangeTreatment.Never } rule && rule.Network.PrefixLength <= prefix)
        {
            problem = rule.Platform is { } platform
                ? $"“{text}” is {rule.Category} ({platform}); probes never dial it, so it cannot be allowed."
                : $"“{text}” is {rule.Category}; probes never dial it, so it cannot be allowed.";
            return false;
        }

        network = masked;
        return true;
    }

    /// <summary>IPv4 only as a plain dotted quad (010.0.0.1 would be read as 8.0.0.1); IPv6 as written, without a zone.</summary>
    private static bool TryReadAddress(string text, out IPAddress address)
    {
        if (!IPAddress.TryParse(text, out address!) || text.Contains('%', StringComparison.Ordinal) || text.Contains('[', StringComparison.Ordinal))
        {
            return false;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? text.Contains(':', StringComparison.Ordinal)
            : address.ToString() == text;
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }
}
