namespace Watchtower.Probes.Egress;

/// <summary>Bound from configuration section <c>Watchtower:Probes</c>.</summary>
public sealed class EgressOptions
{
    public const string SectionName = "Watchtower:Probes";

    /// <summary>
    /// When true, probes may dial private, loopback, CGNAT and unique-local addresses (for a worker
    /// inside a private network, or for tests). Link-local addresses (169.254.0.0/16, fe80::/10),
    /// AWS's fd00:ec2::/32 and the cloud platform endpoints stay blocked.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>
    /// Single addresses or CIDR ranges the operator names ("10.20.0.7", "169.254.10.0/24",
    /// "fd12:3456::/48"): probes may dial them even when they are private or in an always-blocked
    /// range. The only way past an always-blocked range. Cloud platform endpoints
    /// (169.254.169.254, 168.63.129.16 …) and addresses that are no host (multicast, 0.0.0.0/8)
    /// can never be allowed, not even by name.
    /// </summary>
    public IList<string> AllowedAddresses { get; } = [];
}
