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
    /// <summary>A key in the chain is too small for OpenSSL's default security level 2: RSA or DSA under 2048 bits, EC under 224 bits.</summary>
    WeakKey,
    /// <summary>The leaf or an intermediate is signed with SHA-1, MD5 or an older hash (the trust anchor's own signature does not count).</summary>
    WeakSignature,
}
