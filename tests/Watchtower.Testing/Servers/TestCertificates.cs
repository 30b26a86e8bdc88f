using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Watchtower.Testing.Servers;

/// <summary>
/// A certificate authority made in the test, and server certificates it (or nobody) signs, written
/// as PEM files for real servers to load. Probes trust the CA through their trusted-roots option.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"wt-certs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        var request = new CertificateRequest("CN=Watchtower Test CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(2));
    }

    public string Folder { get; }

    private X509Certificate2? intermediate;

    /// <summary>An intermediate CA under <see cref="Authority"/>, made on first use.</summary>
    public X509Certificate2 Intermediate => intermediate ??= CreateIntermediate();

    private X509Certificate2 CreateIntermediate()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Watchtower Test Intermediate", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddMonths(-6), DateTimeOffset.UtcNow.AddYears(1), RandomNumberGenerator.GetBytes(12));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Where leaves issued by the intermediate say its certificate can be downloaded (AIA "CA
    /// Issuers"), as public CAs' leaves do: port 9 on loopback, where nothing answers.
    /// </summary>
    public const string UnreachableCaIssuersUrl = "http://127.0.0.1:9/watchtower-test-intermediate.crt";

    /// <summary>
    /// A server certificate (with its private key) issued by the intermediate, by the CA itself
    /// (<paramref name="byAuthority"/>, as a private root signs a leaf directly), or self-signed.
    /// Intermediate-issued leaves carry an AIA CA Issuers URL (<paramref name="caIssuersUrl"/>).
    /// </summary>
    public X509Certificate2 Leaf(string dnsName = "localhost", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool selfSigned = false,
        bool byAuthority = false, string? caIssuersUrl = UnreachableCaIssuersUrl)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(90);
        if (selfSigned)
        {
            return request.CreateSelfSigned(from, until);
        }

        if (byAuthority)
        {
            using var direct = request.Create(Authority, from, until, RandomNumberGenerator.GetBytes(12));
            return direct.CopyWithPrivateKey(key);
        }

        if (caIssuersUrl is not null)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [caIssuersUrl]));
        }

        using var issued = request.Create(Intermediate, from, until, RandomNumberGenerator.GetBytes(12));
        return issued.CopyWithPrivateKey(key);
    }

    public X509Certificate2 Authority { get; }

    /// <summary>
    /// A server certificate for <paramref name="dnsName"/> whose key the test chooses (RSA 1024, DSA,
    /// P-192…), issued by <paramref name="issuer"/> (default: the intermediate) with ECDSA over
    /// SHA-256, or over SHA-1 when <paramref name="sha1"/> is set; or by <paramref name="signer"/>, the
    /// issuer's own generator (an RSA issuer's).
    /// </summary>
    public X509Certificate2 LeafWith(AsymmetricAlgorithm key, string dnsName = "localhost", X509Certificate2? issuer = null, bool sha1 = false,
        X509SignatureGenerator? signer = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={dnsName}"), new PublicKey(key), HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        issuer ??= Intermediate;
        using var issued = request.Create(issuer.SubjectName, signer ?? Signer(issuer, sha1), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90),
            RandomNumberGenerator.GetBytes(12));
        return key switch
        {
            RSA rsa => issued.CopyWithPrivateKey(rsa),
            ECDsa ecdsa => issued.CopyWithPrivateKey(ecdsa),
            DSA dsa => issued.CopyWithPrivateKey(dsa),
            _ => throw new ArgumentException($"No private key copy for {key.GetType().Name}.", nameof(key)),
        };
    }

    /// <summary>An intermediate CA named <paramref name="name"/> under <see cref="Authority"/>, signed with ECDSA over SHA-1 or SHA-256.</summary>
    public X509Certificate2 IntermediateSignedWith(string name, bool sha1)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var issued = request.Create(Authority.SubjectName, Signer(Authority, sha1), DateTimeOffset.UtcNow.AddMonths(-6), DateTimeOffset.UtcNow.AddYears(1),
            RandomNumberGenerator.GetBytes(12));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A self-signed root CA named <paramref name="name"/>, its own signature made with ECDSA over SHA-1 or SHA-256.</summary>
    public static X509Certificate2 RootSignedWith(string name, bool sha1)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        X509SignatureGenerator signer = sha1 ? new Sha1SignatureGenerator(key) : X509SignatureGenerator.CreateForECDsa(key);
        using var root = request.Create(request.SubjectName, signer, DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(2), RandomNumberGenerator.GetBytes(12));
        return root.CopyWithPrivateKey(key);
    }

    private static X509SignatureGenerator Signer(X509Certificate2 issuer, bool sha1)
    {
        var key = issuer.GetECDsaPrivateKey() ?? throw new ArgumentException($"{issuer.Subject} has no ECDSA private key.", nameof(issuer));
        return sha1 ? new Sha1SignatureGenerator(key) : X509SignatureGenerator.CreateForECDsa(key);
    }

    /// <summary>
    /// Writes <paramref name="leaf"/> followed by <paramref name="chain"/> (what the server sends) and
    /// the leaf's private key as PEM files, for stunnel or another real server; returns their paths.
    /// </summary>
    public (string CertFile, string KeyFile) Write(string name, X509Certificate2 leaf, params X509Certificate2[] chain)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)leaf.GetRSAPrivateKey() ?? (AsymmetricAlgorithm?)leaf.GetECDsaPrivateKey()
            ?? leaf.GetDSAPrivateKey() ?? throw new ArgumentException($"{leaf.Subject} has no private key.", nameof(leaf));
        using (key)
        {
            var certFile = Path.Combine(Folder, $"{name}.crt");
            var keyFile = Path.Combine(Folder, $"{name}.key");
            File.WriteAllText(certFile, string.Join("\n", [leaf.ExportCertificatePem(), .. chain.Select(c => c.ExportCertificatePem())]) + "\n");
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return (certFile, keyFile);
        }
    }

    /// <summary>Writes cert (with the CA) and key PEM files; returns their paths.</summary>
    public (string CertFile, string KeyFile) Issue(string name, string dnsName = "localhost", DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null, bool selfSigned = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        if (dnsName == "localhost")
        {
            san.AddIpAddress(IPAddress.Loopback);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddDays(90);
        using var certificate = selfSigned
            ? request.CreateSelfSigned(from, until)
            : request.Create(Authority, from, until, RandomNumberGenerator.GetBytes(12));
        var certFile = Path.Combine(Folder, $"{name}.crt");
        var keyFile = Path.Combine(Folder, $"{name}.key");
        var chain = selfSigned ? certificate.ExportCertificatePem() : certificate.ExportCertificatePem() + "\n" + Authority.ExportCertificatePem();
        File.WriteAllText(certFile, chain + "\n");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return (certFile, keyFile);
    }

    public void Dispose()
    {
        caKey.Dispose();
        Authority.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
