using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Watchtower.Probes.Evaluation;
using Watchtower.Probes.Http;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tests.Tcp;
using Watchtower.Probes.Tls;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Tls;

/// <summary>
/// Certificates judged as <c>openssl s_client</c> judges them at OpenSSL's default security level 2:
/// weak keys and SHA-1 signatures are problems. OpenSSL on this machine refuses to serve such
/// certificates at that level (.NET's server too: “ee key too small”, “ca md too weak”), so real
/// stunnel instances serve them with <c>securityLevel = 0</c>, in front of an IMAP greeter and a
/// plain Kestrel site; the probes' own client still completes the handshake and reports them.
/// </summary>
public sealed class CertificateStrengthTests : IAsyncLifetime
{
    private readonly TestCertificates certificates = new();
    private readonly List<IAsyncDisposable> servers = [];
    private ScriptedListener greeter = null!;
    private TestWebServer web = null!;

    public async ValueTask InitializeAsync()
    {
        greeter = new ScriptedListener(ListenerScript.Say, "* OK test IMAP ready\r\n"u8.ToArray());
        web = await TestWebServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        await web.DisposeAsync();
        await greeter.DisposeAsync();
        certificates.Dispose();
    }

    private ProbeRunner Trusting() => TestProbes.Runner(certificates.Authority);

    /// <summary>Serves <paramref name="leaf"/> and <paramref name="chain"/> with stunnel at security level 0, in front of the IMAP greeter and of the web site.</summary>
    private async Task<(int Imaps, int Https)> ServeAsync(string name, X509Certificate2 leaf, params X509Certificate2[] chain)
    {
        var (cert, key) = certificates.Write(name, leaf, chain);
        var (imaps, imapsPort) = await RealServers.StunnelAsync(greeter.Port, cert, key, "securityLevel = 0");
        servers.Add(imaps);
        var (https, httpsPort) = await RealServers.StunnelAsync(new Uri(web.HttpBase).Port, cert, key, "securityLevel = 0");
        servers.Add(https);
        return (imapsPort, httpsPort);
    }

    private static ProbeRequest Ssl(int port) =>
        new(new SslSettings { Host = "127.0.0.1", Port = port, ServerName = "localhost" }, TimeSpan.FromSeconds(10));

    private static ProbeRequest Https(int port, bool verify = true) =>
        new(new HttpSettings { Url = $"https://localhost:{port}/ok", VerifyTls = verify }, TimeSpan.FromSeconds(10));

    /// <summary>The evaluator's verdict on a probe's facts: an SSL check of the port, or an IMAPS conversation with it.</summary>
    private static Health Judged(ProbeKind kind, int port, ProbeResult result)
    {
        var request = kind == ProbeKind.Ssl ? Ssl(port) : TestProbes.Tcp(port, TcpService.Imaps);
        return CheckEvaluator.Evaluate(request, result, DateTimeOffset.UtcNow).Status;
    }

    [Fact]
    public async Task An_rsa_1024_leaf_is_a_weak_key_for_the_ssl_check_a_tls_conversation_and_https()
    {
        using var rsa = RSA.Create(1024);
        var (imaps, https) = await ServeAsync("rsa1024", certificates.LeafWith(rsa), certificates.Intermediate);
        var runner = Trusting();

        var ssl = await runner.RunAsync(Ssl(imaps), TestContext.Current.CancellationToken);
        var conversation = await runner.RunAsync(TestProbes.Tcp(imaps, TcpService.Imaps), TestContext.Current.CancellationToken);
        var verified = await runner.RunAsync(Https(https), TestContext.Current.CancellationToken);
        var unverified = await runner.RunAsync(Https(https, verify: false), TestContext.Current.CancellationToken);

        Assert.True(ssl.Success, ssl.Message);
        var c = ssl.Certificate!;
        Assert.False(c.Valid);
        Assert.Equal([CertificateProblem.WeakKey], c.Problems);
        Assert.Equal("its RSA key has 1024 bits (at least 2048 are needed)", c.Problem);
        Assert.Equal("RSA 1024", c.KeyType);
        Assert.Equal(1024, c.KeyBits);
        Assert.Equal(["CN=localhost", "CN=Watchtower Test Intermediate", "CN=Watchtower Test CA"], c.ChainBuilt);
        Assert.Equal("Certificate for CN=localhost is not valid: its RSA key has 1024 bits (at least 2048 are needed).", ssl.Message);
        Assert.Equal(Health.Down, Judged(ProbeKind.Ssl, imaps, ssl));

        Assert.True(conversation.Success, conversation.Message);
        Assert.False(conversation.Certificate!.Valid);
        Assert.Equal([CertificateProblem.WeakKey], conversation.Certificate.Problems);
        Assert.Equal(Health.Degraded, Judged(ProbeKind.Tcp, imaps, conversation));

        Assert.False(verified.Success);
        Assert.Equal(FailureReason.Tls, verified.Reason);
        Assert.Equal("The TLS certificate of localhost is not valid: its RSA key has 1024 bits (at least 2048 are needed).", verified.Message);
        Assert.True(unverified.Success, unverified.Message);
        Assert.Equal([CertificateProblem.WeakKey], unverified.Certificate!.Problems);
    }

    [Fact]
    public async Task An_ecdsa_with_sha1_leaf_is_a_weak_signature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (imaps, https) = await ServeAsync("ecdsa-sha1", certificates.LeafWith(key, sha1: true), certificates.Intermediate);
        var runner = Trusting();

        var ssl = await runner.RunAsync(Ssl(imaps), TestContext.Current.CancellationToken);
        var conversation = await runner.RunAsync(TestProbes.Tcp(imaps, TcpService.Imaps), TestContext.Current.CancellationToken);
        var verified = await runner.RunAsync(Https(https), TestContext.Current.CancellationToken);

        var c = ssl.Certificate!;
        Assert.False(c.Valid);
        Assert.Equal([CertificateProblem.WeakSignature], c.Problems);
        Assert.Equal("sha1ECDSA", c.SignatureAlgorithm);
        Assert.Equal("it is signed with SHA-1 (sha1ECDSA), which is no longer considered secure", c.Problem);
        Assert.Equal("ECDSA P-256", c.KeyType);
        Assert.Equal(256, c.KeyBits);
        Assert.Equal(Health.Down, Judged(ProbeKind.Ssl, imaps, ssl));
        Assert.True(conversation.Success, conversation.Message);
        Assert.False(conversation.Certificate!.Valid);
        Assert.Contains("signed with SHA-1", conversation.Certificate.Problem, StringComparison.Ordinal);
        Assert.Equal(FailureReason.Tls, verified.Reason);
        Assert.Contains("it is signed with SHA-1 (sha1ECDSA)", verified.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sha1_intermediate_sent_by_the_server_is_a_weak_signature_named_by_its_subject()
    {
        var weakIntermediate = certificates.IntermediateSignedWith("Watchtower SHA-1 Intermediate", sha1: true);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (imaps, https) = await ServeAsync("sha1-intermediate", certificates.LeafWith(key, issuer: weakIntermediate), weakIntermediate);
        var runner = Trusting();

        var ssl = await runner.RunAsync(Ssl(imaps), TestContext.Current.CancellationToken);
        var conversation = await runner.RunAsync(TestProbes.Tcp(imaps, TcpService.Imaps), TestContext.Current.CancellationToken);
        var verified = await runner.RunAsync(Https(https), TestContext.Current.CancellationToken);

        var c = ssl.Certificate!;
        Assert.False(c.Valid);
        Assert.Equal([CertificateProblem.WeakSignature], c.Problems);
        Assert.Equal("sha256ECDSA", c.SignatureAlgorithm); // the leaf itself is fine
        Assert.Equal(["CN=localhost", "CN=Watchtower SHA-1 Intermediate"], c.ChainSent);
        Assert.Equal("the intermediate CN=Watchtower SHA-1 Intermediate is signed with SHA-1 (sha1ECDSA), which is no longer considered secure", c.Problem);
        Assert.Equal(Health.Down, Judged(ProbeKind.Ssl, imaps, ssl));
        Assert.False(conversation.Certificate!.Valid);
        Assert.Equal(FailureReason.Tls, verified.Reason);
        Assert.Contains("the intermediate CN=Watchtower SHA-1 Intermediate is signed with SHA-1", verified.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_strong_chain_stays_valid_even_under_a_root_whose_own_signature_is_sha1()
    {
        // OpenSSL does not check the trust anchor's self-signature, and neither do we: many roots still
        // in trust stores are self-signed with SHA-1.
        var sha1Root = TestCertificates.RootSignedWith("Watchtower SHA-1 Root", sha1: true);
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (rsaPort, rsaHttps) = await ServeAsync("rsa2048", certificates.LeafWith(rsa), certificates.Intermediate);
        var (underSha1Root, _) = await ServeAsync("under-sha1-root", certificates.LeafWith(ec, issuer: sha1Root), sha1Root);

        var rsaResult = await Trusting().RunAsync(Ssl(rsaPort), TestContext.Current.CancellationToken);
        var rsaHttp = await Trusting().RunAsync(Https(rsaHttps), TestContext.Current.CancellationToken);
        var rootResult = await TestProbes.Runner(sha1Root).RunAsync(Ssl(underSha1Root), TestContext.Current.CancellationToken);

        Assert.True(rsaResult.Certificate!.Valid, rsaResult.Certificate.Problem);
        Assert.Equal("RSA 2048", rsaResult.Certificate.KeyType);
        Assert.Equal(2048, rsaResult.Certificate.KeyBits);
        Assert.Equal(Health.Up, Judged(ProbeKind.Ssl, rsaPort, rsaResult));
        Assert.True(rsaHttp.Success, rsaHttp.Message);
        Assert.True(rootResult.Certificate!.Valid, rootResult.Certificate.Problem);
        Assert.Equal(["CN=localhost", "CN=Watchtower SHA-1 Root"], rootResult.Certificate.ChainBuilt);
    }

    private static TlsInspector Inspector(X509Certificate2 root)
    {
        var options = new TlsOptions();
        options.TrustedRoots.Add(root);
        return new TlsInspector(Options.Create(options), TimeProvider.System);
    }

    public static TheoryData<string, int, bool> Keys => new()
    {
        { "RSA", 2040, true },
        { "RSA", 2048, false },
        { "DSA", 1024, true },
        { "DSA", 2048, false },
        { "EC", 192, true },
        { "EC", 224, false },
        { "EC", 256, false },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Key_sizes_are_judged_at_security_level_2(string algorithm, int bits, bool weak)
    {
        using AsymmetricAlgorithm key = algorithm switch
        {
            "RSA" => RSA.Create(bits),
            "DSA" => DSA.Create(bits),
            _ => ECDsa.Create(ECCurve.CreateFromValue(bits switch { 192 => "1.2.840.10045.3.1.1", 224 => "1.3.132.0.33", _ => "1.2.840.10045.3.1.7" })),
        };
        using var leaf = certificates.LeafWith(key, issuer: certificates.Authority);

        var facts = Inspector(certificates.Authority).Judge(leaf, null, SslPolicyErrors.None, "localhost");

        Assert.Equal(bits, facts.KeyBits);
        Assert.Equal(!weak, facts.Valid);
        if (weak)
        {
            Assert.Equal([CertificateProblem.WeakKey], facts.Problems);
            Assert.Equal($"its {algorithm} key has {bits} bits (at least {(algorithm == "EC" ? 224 : 2048)} are needed)", facts.Problem);
        }
        else
        {
            Assert.Empty(facts.Problems);
        }
    }

    [Theory]
    [InlineData("pkcs1", "sha1RSA")]
    [InlineData("pss", "RSASSA-PSS")]
    public void Rsa_signatures_over_sha1_are_weak_whatever_the_padding(string padding, string name)
    {
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Watchtower RSA Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var weak = certificates.LeafWith(key, issuer: root, signer: new Sha1SignatureGenerator(rootKey, pss: padding == "pss"));
        using var strong = certificates.LeafWith(key, issuer: root, signer: X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pss));

        var weakFacts = Inspector(root).Judge(weak, null, SslPolicyErrors.None, "localhost");
        var strongFacts = Inspector(root).Judge(strong, null, SslPolicyErrors.None, "localhost");

        Assert.Equal([CertificateProblem.WeakSignature], weakFacts.Problems);
        Assert.StartsWith($"it is signed with SHA-1 ({name}", weakFacts.Problem, StringComparison.Ordinal);
        Assert.True(strongFacts.Valid, strongFacts.Problem); // RSASSA-PSS over SHA-256
    }
}
