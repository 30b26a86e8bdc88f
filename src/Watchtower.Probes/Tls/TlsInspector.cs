using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Watchtower.Probes.Tls;

/// <summary>
/// Performs TLS handshakes for probes and judges the peer's certificate: the handshake always
/// completes (so the facts can be reported), and validity is decided here against the system's
/// roots plus the operator's extra roots.
/// </summary>
public sealed class TlsInspector(IOptions<TlsOptions> options, TimeProvider time)
{
    private readonly Lazy<X509Certificate2Collection> extraRoots = new(() => LoadRoots(options.Value));

    /// <summary>Wraps <paramref name="inner"/> in TLS. Throws <see cref="AuthenticationException"/> when the handshake itself fails.</summary>
    public async Task<(SslStream Stream, CertificateFacts? Certificate)> HandshakeAsync(Stream inner, string serverName, CancellationToken cancellationToken)
    {
        X509Certificate2? peer = null;
        SslPolicyErrors errors = SslPolicyErrors.None;
        X509Certificate2Collection sentChain = [];
#pragma warning disable CA5359 // Validation is not skipped: Judge() decides validity and the check reports it; aborting here would hide the facts.
        var stream = new SslStream(inner, leaveInnerStreamOpen: false, (_, certificate, chain, policyErrors) =>
        {
            if (certificate is not null)
            {
                peer = new X509Certificate2(certificate);
            }

            if (chain is not null)
            {
                // SslStream puts the certificates the server sent into the chain's extra store.
                foreach (var sent in chain.ChainPolicy.ExtraStore)
                {
                    sentChain.Add(new X509Certificate2(sent));
                }
            }

            errors = policyErrors;
            return true; // judged below, so that an invalid certificate is still reported in full
        });
#pragma warning restore CA5359
        try
        {
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                CertificateChainPolicy = HandshakeChainPolicy(),
            }, cancellationToken);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        return (stream, peer is null ? null : Judge(peer, errors, sentChain, serverName));
    }

    /// <summary>
    /// The policy of the chain the TLS stack builds before calling the validation callback. Its
    /// default downloads the intermediates a certificate's AIA extension names: a request to an
    /// address the server chose, made past the egress guard, which also hides a missing intermediate.
    /// </summary>
    public static X509ChainPolicy HandshakeChainPolicy() => new()
    {
        RevocationMode = X509RevocationMode.NoCheck,
        DisableCertificateDownloads = true,
    };

    /// <summary>Judges a certificate seen in a validation callback (HTTP's handshake, which the probe does not drive itself).</summary>
    public CertificateFacts Judge(X509Certificate certificate, X509Chain? chain, SslPolicyErrors errors, string serverName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var sent = new X509Certificate2Collection();
        if (chain is not null)
        {
            foreach (var c in chain.ChainPolicy.ExtraStore)
            {
                sent.Add(new X509Certificate2(c));
            }
        }

        return Judge(new X509Certificate2(certificate), errors, sent, serverName);
    }

    private CertificateFacts Judge(X509Certificate2 certificate, SslPolicyErrors errors, X509Certificate2Collection sentChain, string serverName)
    {
        var now = time.GetUtcNow();
        var problems = new List<(CertificateProblem Kind, string Text)>();
        if (now > certificate.NotAfter.ToUniversalTime())
        {
            problems.Add((CertificateProblem.Expired, $"it expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}"));
        }

        if (now < certificate.NotBefore.ToUniversalTime())
        {
            problems.Add((CertificateProblem.NotYetValid, $"it is not valid until {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd}"));
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problems.Add((CertificateProblem.NameMismatch, $"it is not valid for {serverName}"));
        }

        // Trust is judged apart from time (already judged above), without fetching anything from the network.
        var sent = new X509Certificate2Collection(sentChain.Where(c => c.Thumbprint != certificate.Thumbprint).ToArray());
        var (systemTrusted, systemFlags, systemBuilt) = Build(certificate, sent, customRoots: null);
        var roots = extraRoots.Value;
        var (customTrusted, customFlags, customBuilt) = roots.Count > 0 ? Build(certificate, sent, roots) : (false, systemFlags, systemBuilt);
        var trusted = systemTrusted || customTrusted;
        if (!trusted)
        {
            var flags = roots.Count > 0 ? customFlags : systemFlags;
            var built = roots.Count > 0 ? customBuilt : systemBuilt;
            var selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
            // A chain that stops at the leaf either lacks an intermediate the server should have sent, or
            // the leaf was signed straight by a root nobody here trusts; without the issuer both look the
            // same. The leaf naming where its issuer can be downloaded (AIA, as every public CA's leaves
            // do) says an intermediate exists and was not sent; a leaf naming none (a private root signing
            // directly) is judged untrusted. One that stops higher up reached an untrusted authority.
            var stopsAtLeaf = flags.HasFlag(X509ChainStatusFlags.PartialChain) && built.Length <= 1;
            problems.Add(selfSigned ? (CertificateProblem.SelfSigned, "it is self-signed")
                : stopsAtLeaf && NamesIssuerDownload(certificate) ? (CertificateProblem.IncompleteChain, $"its chain is incomplete: the certificate of its issuer ({certificate.Issuer}) was not sent and is not a trusted root")
                : stopsAtLeaf ? (CertificateProblem.Untrusted, $"it is issued by an untrusted authority ({certificate.Issuer}), which is neither sent nor a trusted root")
                : flags.HasFlag(X509ChainStatusFlags.PartialChain) ? (CertificateProblem.Untrusted, $"its chain ends at an untrusted authority ({built[^1]})")
                : flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) ? (CertificateProblem.Untrusted, $"it is issued by an untrusted authority ({certificate.Issuer})")
                : (CertificateProblem.Other, $"its chain does not validate ({flags})"));
        }

        return new CertificateFacts
        {
            Subject = certificate.Subject,
            Issuer = certificate.Issuer,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            DnsNames = DnsNames(certificate),
            Thumbprint = certificate.Thumbprint,
            Valid = problems.Count == 0,
            Problem = string.Join("; ", problems.Select(p => p.Text)),
            Problems = problems.Select(p => p.Kind).Distinct().ToList(),
            KeyType = KeyType(certificate),
            SignatureAlgorithm = certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "",
            ChainSent = [certificate.Subject, .. sent.Select(c => c.Subject)],
            ChainBuilt = systemTrusted ? systemBuilt : customTrusted ? customBuilt : [],
        };
    }

    private (bool Trusted, X509ChainStatusFlags Flags, string[] Built) Build(X509Certificate2 certificate, X509Certificate2Collection sent, X509Certificate2Collection? customRoots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ExtraStore.AddRange(sent);
        if (customRoots is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(customRoots);
        }

        var trusted = chain.Build(certificate);
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        return (trusted, flags, [.. chain.ChainElements.Select(e => e.Certificate.Subject)]);
    }

    private static bool NamesIssuerDownload(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509AuthorityInformationAccessExtension>().Any(aia => aia.EnumerateCAIssuersUris().Any());

    private static string KeyType(X509Certificate2 certificate)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return $"RSA {rsa.KeySize}";
        }

        using var ecdsa = certificate.GetECDsaPublicKey();
        return ecdsa is not null ? $"ECDSA P-{ecdsa.KeySize}" : certificate.PublicKey.Oid.FriendlyName ?? "unknown";
    }

    private static string[] DnsNames(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                return [.. san.EnumerateDnsNames()];
            }
        }

        return [];
    }

    private static X509Certificate2Collection LoadRoots(TlsOptions options)
    {
        var roots = new X509Certificate2Collection(options.TrustedRoots);
        foreach (var file in options.TrustedRootFiles)
        {
            var loaded = new X509Certificate2Collection();
            loaded.ImportFromPemFile(file);
            roots.AddRange(loaded);
        }

        return roots;
    }
}
