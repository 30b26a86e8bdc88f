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
