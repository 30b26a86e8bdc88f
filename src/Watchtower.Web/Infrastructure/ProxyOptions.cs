using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;

namespace Watchtower.Web.Infrastructure;

/// <summary>
/// Bound from <c>Watchtower:KnownProxies</c> and <c>Watchtower:KnownNetworks</c>: the reverse proxies
/// whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. The client address they
/// give decides the sign-in rate-limit bucket and is written to the audit log, so nothing else may
/// set it: with neither list configured the headers are ignored from everyone.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Watchtower";
    public const string KnownProxiesKey = SectionName + ":" + nameof(KnownProxies);
    public const string KnownNetworksKey = SectionName + ":" + nameof(KnownNetworks);

    /// <summary>
    /// How many entries of X-Forwarded-For are walked, right to left. Each is believed only when the
    /// peer that added it is a configured proxy, so the walk stops at the first address that is not
    /// one whatever this says; the limit only bounds a chain of configured proxies (a CDN, a load
    /// balancer and a reverse proxy make three).
    /// </summary>
    public const int ForwardLimit = 5;

    /// <summary>Single addresses, such as 10.0.0.5 or fd00::5.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks in CIDR notation, such as 10.0.0.0/8 or fd00::/8.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// Trusts exactly the configured proxies. ASP.NET Core's defaults trust 127.0.0.0/8 and ::1 as
    /// well; they are dropped, so a local proxy must be listed like any other. With nothing listed the
    /// middleware is switched off: its trust lists left empty would make it believe every peer.
    /// </summary>
    public void ApplyTo(ForwardedHeadersOptions forwarded)
    {
        ArgumentNullException.ThrowIfNull(forwarded);
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var text in KnownProxies)
        {
            if (TryParseAddress(text, out var address))
            {
                forwarded.KnownProxies.Add(address);
            }
        }

        foreach (var text in KnownNetworks)
        {
            if (TryParseNetwork(text, out var network))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        }

        var any = forwarded.KnownProxies.Count > 0 || forwarded.KnownIPNetworks.Count > 0;
        forwarded.ForwardedHeaders = any ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;
        forwarded.ForwardLimit = ForwardLimit;
    }

    /// <summary>
    /// An IPv4 address in its usual four-part form, or an IPv6 address. Stricter than
    /// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>, which reads "10.1" as 10.0.0.1 and
    /// "010.0.0.1" (octal) as 8.0.0.1 — a typo that would trust the wrong machine.
    /// </summary>
    public static bool TryParseAddress(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        var trimmed = text?.Trim() ?? "";
        if (!IPAddress.TryParse(trimmed, out var parsed))
        {
            return false;
        }

        var ok = trimmed.Contains(':', StringComparison.Ordinal)
            ? parsed.AddressFamily == AddressFamily.InterNetworkV6 && parsed.ScopeId == 0
            : parsed.AddressFamily == AddressFamily.InterNetwork && parsed.ToString() == trimmed;
        if (ok)
        {
            address = parsed;
        }

        return ok;
    }

    /// <summary>A network as address/prefix length, the address as strict as <see cref="TryParseAddress"/>.</summary>
    public static bool TryParseNetwork(string? text, out System.Net.IPNetwork network)
    {
        network = default;
        var trimmed = text?.Trim() ?? "";
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && TryParseAddress(trimmed[..slash], out _)
            && trimmed[(slash + 1)..].All(char.IsAsciiDigit)
            && System.Net.IPNetwork.TryParse(trimmed, out network);
    }
}
