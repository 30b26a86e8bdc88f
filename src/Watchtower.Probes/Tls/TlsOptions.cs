using System.Security.Cryptography.X509Certificates;

namespace Watchtower.Probes.Tls;

/// <summary>
/// Bound from <c>Watchtower:Probes:Tls</c>. Extra trusted roots are how a private PKI (and the
/// tests' own CA) is trusted — never by turning validation off.
/// </summary>
public sealed class TlsOptions
{
    public const string SectionName = "Watchtower:Probes:Tls";

    /// <summary>Paths of PEM files with root certificates to trust besides the system's.</summary>
    public IList<string> TrustedRootFiles { get; } = [];

    /// <summary>Roots added in code (tests, embedding hosts).</summary>
    public X509Certificate2Collection TrustedRoots { get; } = [];
}
