namespace Watchtower.Probes.Egress;

/// <summary>Bound from configuration section <c>Watchtower:Probes</c>.</summary>
public sealed class EgressOptions
{
    public const string SectionName = "Watchtower:Probes";

    /// <summary>
    /// When true, probes may dial private, loopback, link-local and CGNAT addresses
    /// (for a worker inside a private network, or for tests). Cloud metadata addresses stay blocked.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }
}
