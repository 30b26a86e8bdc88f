namespace Watchtower.Probes.Tls;

/// <summary>The ways a certificate can fail to validate. Stored by name.</summary>
public enum CertificateProblem
{
    Expired,
    NotYetValid,
    NameMismatch,
    SelfSigned,
    Untrusted,
    /// <summary>The server did not send an intermediate the chain needs (the certificate names where its issuer can be downloaded).</summary>
    IncompleteChain,
    Other,
}
