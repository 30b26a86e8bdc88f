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
                foreach (var element in chain.ChainElements)
                {
                    sentChain.Add(new X509Certificate2(element.Certificate));
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
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, cancellationToken);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }

        return (stream, peer is null ? null : Judge(peer, errors, sentChain, serverName));
    }

    private CertificateFacts Judge(X509Certificate2 certificate, SslPolicyErrors errors, X509Certificate2Collection sentChain, string serverName)
    {
        var problems = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problems.Add($"it is not valid for {serverName}");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && !TrustedByExtraRoots(certificate, sentChain))
        {
            problems.Add(ChainProblem(certificate, sentChain));
        }

        var now = time.GetUtcNow();
        if (now > certificate.NotAfter.ToUniversalTime() && !problems.Exists(p => p.Contains("expired", StringComparison.Ordinal)))
        {
            problems.Add($"it expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}");
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
            Problem = string.Join("; ", problems),
        };
    }

    private bool TrustedByExtraRoots(X509Certificate2 certificate, X509Certificate2Collection sentChain)
    {
        var roots = extraRoots.Value;
        if (roots.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ExtraStore.AddRange(sentChain);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        return chain.Build(certificate);
    }

    private string ChainProblem(X509Certificate2 certificate, X509Certificate2Collection sentChain)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ExtraStore.AddRange(sentChain);
        chain.ChainPolicy.ExtraStore.AddRange(extraRoots.Value);
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.Build(certificate);
        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        var now = time.GetUtcNow();
        if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
        {
            return now < certificate.NotBefore.ToUniversalTime()
                ? $"it is not valid until {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd}"
                : $"it expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}";
        }

        if (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return "it is self-signed";
        }

        if (flags.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return $"its chain is incomplete or its issuer ({certificate.Issuer}) is unknown";
        }

        return flags.HasFlag(X509ChainStatusFlags.UntrustedRoot)
            ? $"it is issued by an untrusted authority ({certificate.Issuer})"
            : $"its chain does not validate ({flags})";
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
