using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Watchtower.Probes.Evaluation;
using Watchtower.Probes.Http;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tls;
using Watchtower.Probes.Tests.Tcp;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Ssl;

/// <summary>The SSL certificate probe against real TLS servers presenting certificates made here.</summary>
public sealed class SslProbeTests : IDisposable
{
    private readonly TestCertificates certificates = new();

    public void Dispose() => certificates.Dispose();

    private ProbeRunner Trusting() => TestProbes.Runner(certificates.Authority);

    private static ProbeRequest Ssl(int port, string? serverName = "localhost", StartTlsProtocol startTls = StartTlsProtocol.None) =>
        new(new SslSettings { Host = "127.0.0.1", Port = port, ServerName = serverName, StartTls = startTls }, TimeSpan.FromSeconds(10));

    private static async Task<CertificateFacts> CertificateOf(ProbeRunner runner, System.Security.Cryptography.X509Certificates.X509Certificate2 leaf,
        params System.Security.Cryptography.X509Certificates.X509Certificate2[] chain)
    {
        await using var server = new TlsTestServer(leaf, chain);
        // The probe's facts, before the evaluator judges them: the handshake completed, whatever the certificate.
        var result = await runner.RunAsync(Ssl(server.Port), TestContext.Current.CancellationToken);
        Assert.True(result.Success, result.Message);
        return result.Certificate!;
    }

    [Fact]
    public async Task A_valid_chain_reports_every_fact()
    {
        await using var server = new TlsTestServer(certificates.Leaf(), certificates.Intermediate);

        var result = await Trusting().RunAsync(Ssl(server.Port));

        Assert.True(result.Success, result.Message);
        var c = result.Certificate!;
        Assert.True(c.Valid, c.Problem);
        Assert.Empty(c.Problems);
        Assert.Equal("CN=localhost", c.Subject);
        Assert.Equal("CN=Watchtower Test Intermediate", c.Issuer);
        Assert.Equal(["localhost"], c.DnsNames);
        Assert.Equal(["CN=localhost", "CN=Watchtower Test Intermediate"], c.ChainSent);
        Assert.Equal(["CN=localhost", "CN=Watchtower Test Intermediate", "CN=Watchtower Test CA"], c.ChainBuilt);
        Assert.Equal("ECDSA P-256", c.KeyType);
        Assert.Equal("sha256ECDSA", c.SignatureAlgorithm);
        Assert.InRange(Watchtower.Probes.Evaluation.CertificateExpiry.DaysLeft(c, DateTimeOffset.UtcNow), 88, 90);
        Assert.StartsWith("Tls", result.TlsProtocol, StringComparison.Ordinal);
        Assert.NotNull(result.Timings.Tls);
        Assert.StartsWith("Certificate for CN=localhost is valid; it expires in", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_kind_of_invalid_certificate_is_named()
    {
        var runner = Trusting();
        var now = DateTimeOffset.UtcNow;

        var expired = await CertificateOf(runner, certificates.Leaf(notBefore: now.AddDays(-60), notAfter: now.AddDays(-2)), certificates.Intermediate);
        var notYet = await CertificateOf(runner, certificates.Leaf(notBefore: now.AddDays(3), notAfter: now.AddDays(90)), certificates.Intermediate);
        var wrongHost = await CertificateOf(runner, certificates.Leaf(dnsName: "www.other.example"), certificates.Intermediate);
        var selfSigned = await CertificateOf(runner, certificates.Leaf(selfSigned: true));
        var missingIntermediate = await CertificateOf(runner, certificates.Leaf());
        var untrusted = await CertificateOf(TestProbes.Runner(), certificates.Leaf(), certificates.Intermediate);

        Assert.Equal([CertificateProblem.Expired], expired.Problems);
        Assert.Equal([CertificateProblem.NotYetValid], notYet.Problems);
        Assert.Equal([CertificateProblem.NameMismatch], wrongHost.Problems);
        Assert.Contains(CertificateProblem.SelfSigned, selfSigned.Problems);
        Assert.Equal([CertificateProblem.IncompleteChain], missingIntermediate.Problems);
        Assert.Equal(["CN=localhost"], missingIntermediate.ChainSent);
        Assert.Equal([CertificateProblem.Untrusted], untrusted.Problems);
        Assert.All([expired, notYet, wrongHost, selfSigned, missingIntermediate, untrusted], c => Assert.False(c.Valid));
        Assert.Contains("expired on", expired.Problem, StringComparison.Ordinal);
        Assert.Contains("not valid for localhost", wrongHost.Problem, StringComparison.Ordinal);
        Assert.Contains("was not sent", missingIntermediate.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_leaf_signed_directly_by_an_untrusted_root_is_untrusted_not_an_incomplete_chain()
    {
        // A private root signing server certificates directly names no intermediate to download (no AIA):
        // nothing is missing from the chain, the root is simply not trusted here.
        var direct = await CertificateOf(TestProbes.Runner(), certificates.Leaf(byAuthority: true));
        var directTrusted = await CertificateOf(Trusting(), certificates.Leaf(byAuthority: true));

        Assert.Equal([CertificateProblem.Untrusted], direct.Problems);
        Assert.Contains("untrusted authority (CN=Watchtower Test CA)", direct.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("incomplete", direct.Problem, StringComparison.Ordinal);
        Assert.True(directTrusted.Valid, directTrusted.Problem);
        Assert.Equal(["CN=localhost", "CN=Watchtower Test CA"], directTrusted.ChainBuilt);
    }

    [Fact]
    public async Task The_intermediate_a_certificate_points_to_is_never_downloaded()
    {
        // Downloading it would dial an address the server chose, past the egress guard, and would hide
        // the missing intermediate that strict clients fail on.
        var downloads = 0;
        await using var ca = await TestWebServer.StartAsync(routes: app => app.MapGet("/intermediate.crt", () =>
        {
            Interlocked.Increment(ref downloads);
            return Results.Bytes(certificates.Intermediate.RawData, "application/pkix-cert");
        }));
        await using var server = new TlsTestServer(certificates.Leaf(caIssuersUrl: ca.HttpBase + "/intermediate.crt"));
        var url = $"https://localhost:{server.Port}/";

        var ssl = await Trusting().RunAsync(Ssl(server.Port));
        var http = await Trusting().RunAsync(new ProbeRequest(new HttpSettings { Url = url }, TimeSpan.FromSeconds(10)));

        Assert.Equal([CertificateProblem.IncompleteChain], ssl.Certificate!.Problems);
        Assert.Equal(FailureReason.Tls, http.Reason);
        Assert.Contains("chain is incomplete", http.Message, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref downloads));
    }

    [Fact]
    public async Task A_certificate_expiring_in_five_days_is_valid_with_five_days_left_and_judged_by_the_thresholds()
    {
        await using var server = new TlsTestServer(certificates.Leaf(notAfter: DateTimeOffset.UtcNow.AddDays(5).AddHours(1)), certificates.Intermediate);
        var result = await Trusting().RunAsync(Ssl(server.Port));
        var now = DateTimeOffset.UtcNow;
        ProbeRequest SslCheck(int criticalDays) =>
            new(new SslSettings { Host = "127.0.0.1", Port = server.Port, ServerName = "localhost", WarningDays = 14, CriticalDays = criticalDays }, TimeSpan.FromSeconds(10));

        var byDefault = CheckEvaluator.Evaluate(SslCheck(new SslSettings().CriticalDays), result, now);
        var criticalFive = CheckEvaluator.Evaluate(SslCheck(5), result, now);
        var criticalSix = CheckEvaluator.Evaluate(SslCheck(6), result, now);

        Assert.True(result.Certificate!.Valid, result.Certificate.Problem);
        Assert.Equal(5, CertificateExpiry.DaysLeft(result.Certificate, now));
        Assert.Equal(Health.Degraded, byDefault.Status); // within the default 14-day warning, outside the default 3 critical days
        Assert.Contains("expires in 5 days", byDefault.Message, StringComparison.Ordinal);
        Assert.Equal(Health.Degraded, criticalFive.Status); // 5 days and an hour left is not within 5 days
        Assert.Equal(Health.Down, criticalSix.Status);
        Assert.Contains("within the critical threshold of 6 days", criticalSix.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_reaches_the_certificate_of_a_real_imap_server()
    {
        var (cert, key) = certificates.Issue("imap");
        var (dovecot, ports) = await RealServers.DovecotAsync(cert, key);
        await using var _ = dovecot;

        var imap = await Trusting().RunAsync(Ssl(ports.Imap, startTls: StartTlsProtocol.Imap));
        var pop3 = await Trusting().RunAsync(Ssl(ports.Pop3, startTls: StartTlsProtocol.Pop3));

        Assert.True(imap.Success, imap.Message);
        Assert.True(imap.Certificate!.Valid, imap.Certificate.Problem);
        Assert.Equal("CN=localhost", imap.Certificate.Subject);
        Assert.True(pop3.Certificate?.Valid, pop3.Message);
    }

    [Fact]
    public async Task Starttls_reaches_the_certificate_of_a_real_smtp_server()
    {
        var (cert, key) = certificates.Issue("smtp");
        var (exim, ports) = await RealServers.EximAsync(cert, key);
        await using var _ = exim;

        var smtp = await Trusting().RunAsync(Ssl(ports.Smtp, startTls: StartTlsProtocol.Smtp));
        var smtps = await Trusting().RunAsync(Ssl(ports.Smtps));

        Assert.True(smtp.Success, smtp.Message);
        Assert.True(smtp.Certificate!.Valid, smtp.Certificate.Problem);
        Assert.Equal("CN=localhost", smtp.Certificate.Subject);
        Assert.True(smtps.Success, smtps.Message);
        Assert.True(smtps.Certificate!.Valid, smtps.Certificate.Problem);
    }

    [Fact]
    public async Task A_plain_port_is_a_tls_failure()
    {
        await using var plain = new Watchtower.Testing.ScriptedListener(Watchtower.Testing.ListenerScript.Say, "220 not tls\r\n"u8.ToArray());

        var result = await Trusting().RunAsync(Ssl(plain.Port));

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.Equal($"The service on port {plain.Port} does not speak TLS; it sent an SMTP or FTP greeting (“220 not tls”).", result.Message);
    }
}
