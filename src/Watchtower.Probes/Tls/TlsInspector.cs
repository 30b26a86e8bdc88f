using System.Formats.Asn1;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
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

    /// <summary>
    /// Wraps <paramref name="inner"/> in TLS. Throws <see cref="AuthenticationException"/> when the
    /// handshake itself fails — a <see cref="NotTlsException"/> when the peer answered with something
    /// that is not TLS (an HTTP answer, a greeting) or closed without a word.
    /// </summary>
    public async Task<(SslStream Stream, CertificateFacts? Certificate)> HandshakeAsync(Stream inner, string serverName, CancellationToken cancellationToken)
    {
        X509Certificate2? peer = null;
        SslPolicyErrors errors = SslPolicyErrors.None;
        X509Certificate2Collection sentChain = [];
        var recorder = new HandshakeRecorder(inner);
#pragma warning disable CA5359 // Validation is not skipped: Judge() decides validity and the check reports it; aborting here would hide the facts.
        var stream = new SslStream(recorder, leaveInnerStreamOpen: false, (_, certificate, chain, policyErrors) =>
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
                // Never resume: the certificate judged must be the one this server presents now. A
                // resumed session reports the certificate of the session's first server, which may be
                // another port sharing ticket keys (postfix does, between its ports).
                AllowTlsResume = false,
            }, cancellationToken);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException && recorder.NotTls(ex) is { } notTls)
        {
            await stream.DisposeAsync();
            throw notTls;
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
        var system = Build(certificate, sent, customRoots: null);
        var roots = extraRoots.Value;
        var custom = roots.Count > 0 ? Build(certificate, sent, roots) : null;
        var trusted = system.Trusted || custom is { Trusted: true };
        // The chain judged: the one that reached a trusted root, else the one against the operator's roots when there are any.
        var judged = system.Trusted ? system : custom ?? system;
        if (!trusted)
        {
            var flags = judged.Flags;
            var built = judged.Subjects;
            var selfSigned = IsSelfSigned(certificate);
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

        problems.AddRange(Weaknesses(judged.Certificates.Length > 0 ? judged.Certificates : [certificate], trusted));
        var strength = KeyStrength(certificate);

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
            KeyBits = strength?.Bits ?? 0,
            SignatureAlgorithm = certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value ?? "",
            ChainSent = [certificate.Subject, .. sent.Select(c => c.Subject)],
            ChainBuilt = trusted ? judged.Subjects : [],
        };
    }

    /// <summary>A chain as built: leaf first, its anchor (when trusted) last.</summary>
    private sealed record BuiltChain(bool Trusted, X509ChainStatusFlags Flags, X509Certificate2[] Certificates)
    {
        public string[] Subjects => [.. Certificates.Select(c => c.Subject)];
    }

    private BuiltChain Build(X509Certificate2 certificate, X509Certificate2Collection sent, X509Certificate2Collection? customRoots)
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
        return new BuiltChain(trusted, flags, [.. chain.ChainElements.Select(e => new X509Certificate2(e.Certificate))]);
    }

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    /// <summary>
    /// What OpenSSL's default security level 2 refuses (as <c>openssl s_client</c> on Debian 12 and
    /// most current clients do: at least 112 bits of security): RSA and DSA keys under 2048 bits, EC
    /// keys under 224 bits, and signatures made with SHA-1, MD5 or older hashes. Every key in the
    /// chain counts; every signature but the trust anchor's own — the chain's last certificate when it
    /// is trusted, or any self-signed one — which OpenSSL does not check either.
    /// </summary>
    private static IEnumerable<(CertificateProblem Kind, string Text)> Weaknesses(X509Certificate2[] chain, bool trusted)
    {
        for (var i = 0; i < chain.Length; i++)
        {
            var certificate = chain[i];
            var anchor = (trusted && i == chain.Length - 1) || IsSelfSigned(certificate);
            var who = i == 0 ? null : anchor ? $"the root {certificate.Subject}" : $"the intermediate {certificate.Subject}";
            if (KeyStrength(certificate) is { } key && key.Bits < key.Needed)
            {
                yield return (CertificateProblem.WeakKey, who is null
                    ? $"its {key.Algorithm} key has {key.Bits} bits (at least {key.Needed} are needed)"
                    : $"{who} has a {key.Bits}-bit {key.Algorithm} key (at least {key.Needed} bits are needed)");
            }

            if (!anchor && WeakHash(certificate) is { } hash)
            {
                var algorithm = certificate.SignatureAlgorithm.FriendlyName ?? certificate.SignatureAlgorithm.Value;
                yield return (CertificateProblem.WeakSignature, $"{who ?? "it"} is signed with {hash} ({algorithm}), which is no longer considered secure");
            }
        }
    }

    private sealed record KeySize(string Algorithm, int Bits, int Needed);

    /// <summary>The key's algorithm and size, and the size security level 2 needs; null for a key it does not size (Ed25519 and Ed448 are strong enough).</summary>
    private static KeySize? KeyStrength(X509Certificate2 certificate)
    {
        try
        {
            switch (certificate.PublicKey.Oid.Value)
            {
                case "1.2.840.113549.1.1.1" or "1.2.840.113549.1.1.10": // rsaEncryption, RSASSA-PSS
                    using (var rsa = certificate.GetRSAPublicKey())
                    {
                        return rsa is null ? null : new KeySize("RSA", rsa.KeySize, 2048);
                    }

                case "1.2.840.10040.4.1": // id-dsa
                    using (var dsa = certificate.GetDSAPublicKey())
                    {
                        return dsa is null ? null : new KeySize("DSA", dsa.KeySize, 2048);
                    }

                case "1.2.840.10045.2.1": // id-ecPublicKey
                    using (var ec = certificate.GetECDsaPublicKey())
                    {
                        return ec is null ? null : new KeySize("EC", ec.KeySize, 224);
                    }

                case "1.3.101.112":
                    return new KeySize("Ed25519", 256, 0);
                case "1.3.101.113":
                    return new KeySize("Ed448", 456, 0);
                default:
                    return null;
            }
        }
        catch (CryptographicException)
        {
            return null; // a key .NET cannot read is not judged by size
        }
    }

    private const string Sha1 = "1.3.14.3.2.26";
    private const string Md5 = "1.2.840.113549.2.5";

    /// <summary>The hash of a signature weaker than security level 2 allows ("SHA-1", "MD5"), or null.</summary>
    private static string? WeakHash(X509Certificate2 certificate) => certificate.SignatureAlgorithm.Value switch
    {
        // sha1WithRSAEncryption, sha1WithRSA (OIW), ecdsa-with-SHA1, dsa-with-sha1, dsaWithSHA1 (OIW)
        "1.2.840.113549.1.1.5" or "1.3.14.3.2.29" or "1.2.840.10045.4.1" or "1.2.840.10040.4.3" or "1.3.14.3.2.27" => "SHA-1",
        "1.2.840.113549.1.1.4" or "1.3.14.3.2.3" => "MD5",
        "1.2.840.113549.1.1.3" => "MD4",
        "1.2.840.113549.1.1.2" => "MD2",
        "1.3.36.3.3.1.2" => "RIPEMD-160", // 80 bits
        "1.2.840.113549.1.1.10" => PssHash(certificate.RawData) switch
        {
            Sha1 => "SHA-1",
            Md5 => "MD5",
            _ => null,
        },
        _ => null,
    };

    /// <summary>The hash an RSASSA-PSS signature uses (RFC 4055): its parameters' hashAlgorithm, SHA-1 by default.</summary>
    private static string? PssHash(byte[] certificate)
    {
        try
        {
            var outer = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence();
            outer.ReadEncodedValue(); // tbsCertificate
            var algorithm = outer.ReadSequence();
            algorithm.ReadObjectIdentifier();
            if (!algorithm.HasData || algorithm.PeekTag().HasSameClassAndValue(Asn1Tag.Null))
            {
                return Sha1;
            }

            var parameters = algorithm.ReadSequence();
            var hashTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            return parameters.HasData && parameters.PeekTag().HasSameClassAndValue(hashTag)
                ? parameters.ReadSequence(hashTag).ReadSequence().ReadObjectIdentifier()
                : Sha1;
        }
        catch (AsnContentException)
        {
            return null;
        }
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
        if (ecdsa is not null)
        {
            return $"ECDSA P-{ecdsa.KeySize}";
        }

        using var dsa = certificate.PublicKey.Oid.Value == "1.2.840.10040.4.1" ? certificate.GetDSAPublicKey() : null;
        return dsa is not null ? $"DSA {dsa.KeySize}" : certificate.PublicKey.Oid.FriendlyName ?? "unknown";
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
