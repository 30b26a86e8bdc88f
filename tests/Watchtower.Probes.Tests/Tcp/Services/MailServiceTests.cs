using Watchtower.Probes.Tcp;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Tcp.Services;

/// <summary>One Dovecot, one Exim and stunnel fronts for Dovecot for the mail tests, with a CA made here.</summary>
public sealed class MailServers : IAsyncLifetime
{
    private readonly List<ServerProcess> servers = [];
    private Exception? startFailure;

    public TestCertificates Certificates { get; } = new();

    public RealServers.DovecotPorts Dovecot { get; private set; } = new(0, 0, 0, 0);

    public RealServers.EximPorts Exim { get; private set; } = new(0, 0);

    public async ValueTask InitializeAsync()
    {
        try
        {
            var (cert, key) = Certificates.Issue("localhost");
            var (dovecot, ports) = await RealServers.DovecotAsync(cert, key);
            servers.Add(dovecot);
            Dovecot = ports;
            var (exim, eximPorts) = await RealServers.EximAsync(cert, key);
            servers.Add(exim);
            Exim = eximPorts;
        }
#pragma warning disable CA1031 // Re-raised in each test, where a skip or failure belongs.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            startFailure = ex;
        }
    }

    /// <summary>Re-raises a start-up skip or failure inside the test.</summary>
    public void Require()
    {
        if (startFailure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(startFailure).Throw();
        }
    }

    /// <summary>Another Exim, with a certificate of the test's choosing.</summary>
    public async Task<RealServers.EximPorts> EximWithAsync(string name, string dnsName = "localhost", DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null, bool selfSigned = false)
    {
        var (cert, key) = Certificates.Issue(name, dnsName, notBefore, notAfter, selfSigned);
        var (exim, ports) = await RealServers.EximAsync(cert, key);
        lock (servers)
        {
            servers.Add(exim);
        }

        return ports;
    }

    /// <summary>stunnel in front of a plain port, with a certificate of the test's choosing.</summary>
    public async Task<int> TlsFrontAsync(int plainPort, string name, string dnsName = "localhost", DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null, bool selfSigned = false)
    {
        var (cert, key) = Certificates.Issue(name, dnsName, notBefore, notAfter, selfSigned);
        var (stunnel, port) = await RealServers.StunnelAsync(plainPort, cert, key);
        lock (servers)
        {
            servers.Add(stunnel);
        }

        return port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        Certificates.Dispose();
    }
}

public sealed class MailServiceTests(MailServers mail) : IClassFixture<MailServers>
{
    private ProbeRunner Trusting() => TestProbes.Runner(mail.Certificates.Authority);

    [Fact]
    public async Task Imap_greets_with_ok()
    {
        mail.Require();

        var result = await Trusting().RunAsync(TestProbes.Tcp(mail.Dovecot.Imap, TcpService.Imap));

        Assert.True(result.Success, result.Message);
        Assert.StartsWith("* OK", result.Banner, StringComparison.Ordinal);
        Assert.Contains("Dovecot", result.Banner, StringComparison.Ordinal);
        Assert.Null(result.Certificate);
    }

    [Fact]
    public async Task Imap_starttls_upgrades_and_reports_a_valid_certificate()
    {
        mail.Require();

        var result = await Trusting().RunAsync(TestProbes.Tcp(mail.Dovecot.Imap, TcpService.Imap, startTls: true));

        Assert.True(result.Success, result.Message);
        Assert.Equal("IMAP server greeted with * OK over TLS.", result.Message);
        Assert.NotNull(result.Certificate);
        Assert.True(result.Certificate.Valid, result.Certificate.Problem);
        Assert.Equal("CN=localhost", result.Certificate.Subject);
        Assert.Equal("CN=Watchtower Test CA", result.Certificate.Issuer);
        Assert.Contains("localhost", result.Certificate.DnsNames);
        Assert.InRange(Watchtower.Probes.Evaluation.CertificateExpiry.DaysLeft(result.Certificate, DateTimeOffset.UtcNow), 88, 90);
        Assert.NotNull(result.Timings.Tls);
        Assert.StartsWith("Tls", result.TlsProtocol, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imaps_and_pop3s_speak_implicit_tls()
    {
        mail.Require();

        var imaps = await Trusting().RunAsync(TestProbes.Tcp(mail.Dovecot.Imaps, TcpService.Imaps));
        var pop3s = await Trusting().RunAsync(TestProbes.Tcp(mail.Dovecot.Pop3s, TcpService.Pop3s));

        Assert.True(imaps.Success, imaps.Message);
        Assert.True(imaps.Certificate?.Valid, imaps.Certificate?.Problem);
        Assert.True(pop3s.Success, pop3s.Message);
        Assert.StartsWith("+OK", pop3s.Banner, StringComparison.Ordinal);
        Assert.True(pop3s.Certificate?.Valid, pop3s.Certificate?.Problem);
    }

    [Fact]
    public async Task Pop3_plain_and_with_stls()
    {
        mail.Require();

        var plain = await Trusting().RunAsync(TestProbes.Tcp(mail.Dovecot.Pop3, TcpService.Pop3));
        var stls = await Trusting().RunAsync(TestProbes.Tcp(mail.Dovecot.Pop3, TcpService.Pop3, startTls: true));

        Assert.True(plain.Success, plain.Message);
        Assert.Null(plain.Certificate);
        Assert.True(stls.Success, stls.Message);
        Assert.Equal("POP3 server greeted with +OK over TLS.", stls.Message);
        Assert.True(stls.Certificate?.Valid, stls.Certificate?.Problem);
    }

    [Fact]
    public async Task Smtp_greets_and_answers_ehlo()
    {
        mail.Require();

        var result = await Trusting().RunAsync(TestProbes.Tcp(mail.Exim.Smtp, TcpService.Smtp));

        Assert.True(result.Success, result.Message);
        Assert.StartsWith("220 localhost ESMTP Exim 4.", result.Banner, StringComparison.Ordinal);
        Assert.Equal("SMTP server greeted and answered EHLO.", result.Message);
        Assert.Null(result.Certificate);
    }

    [Theory]
    [InlineData(false)] // SMTP on the submission port, upgraded with STARTTLS
    [InlineData(true)]  // SMTPS: TLS from the first byte (Exim's tls_on_connect_ports)
    public async Task Smtp_over_tls_greets_answers_ehlo_and_reports_a_valid_certificate(bool implicitTls)
    {
        mail.Require();

        var result = await Trusting().RunAsync(implicitTls
            ? TestProbes.Tcp(mail.Exim.Smtps, TcpService.Smtps)
            : TestProbes.Tcp(mail.Exim.Smtp, TcpService.Smtp, startTls: true));

        Assert.True(result.Success, result.Message);
        Assert.Equal("SMTP server greeted and answered EHLO over TLS.", result.Message);
        Assert.StartsWith("220 localhost ESMTP Exim 4.", result.Banner, StringComparison.Ordinal);
        Assert.NotNull(result.Certificate);
        Assert.True(result.Certificate.Valid, result.Certificate.Problem);
        Assert.Equal("CN=localhost", result.Certificate.Subject);
        Assert.Equal("CN=Watchtower Test CA", result.Certificate.Issuer);
        Assert.NotNull(result.Timings.Tls);
        Assert.StartsWith("Tls", result.TlsProtocol, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Smtp_certificate_problems_are_reported_without_failing_the_conversation()
    {
        mail.Require();
        var expired = await mail.EximWithAsync("smtp-expired", notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var wrongHost = await mail.EximWithAsync("smtp-wrong-host", dnsName: "mail.other.example");

        var expiredStartTls = await Trusting().RunAsync(TestProbes.Tcp(expired.Smtp, TcpService.Smtp, startTls: true));
        var expiredSmtps = await Trusting().RunAsync(TestProbes.Tcp(expired.Smtps, TcpService.Smtps));
        var wrongHostStartTls = await Trusting().RunAsync(TestProbes.Tcp(wrongHost.Smtp, TcpService.Smtp, startTls: true));
        var wrongHostSmtps = await Trusting().RunAsync(TestProbes.Tcp(wrongHost.Smtps, TcpService.Smtps));

        Assert.All([expiredStartTls, expiredSmtps, wrongHostStartTls, wrongHostSmtps], r => Assert.True(r.Success, r.Message));
        Assert.All([expiredStartTls, expiredSmtps], r =>
        {
            Assert.False(r.Certificate!.Valid);
            Assert.Contains("expired", r.Certificate.Problem, StringComparison.Ordinal);
        });
        Assert.All([wrongHostStartTls, wrongHostSmtps], r =>
        {
            Assert.False(r.Certificate!.Valid);
            Assert.Contains("not valid for localhost", r.Certificate.Problem, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Certificate_problems_are_reported_without_failing_the_conversation()
    {
        mail.Require();
        var expired = await mail.TlsFrontAsync(mail.Dovecot.Imap, "expired", notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var wrongHost = await mail.TlsFrontAsync(mail.Dovecot.Imap, "wrong-host", dnsName: "mail.other.example");
        var selfSigned = await mail.TlsFrontAsync(mail.Dovecot.Imap, "self-signed", selfSigned: true);

        var expiredResult = await Trusting().RunAsync(TestProbes.Tcp(expired, TcpService.Imaps));
        var wrongHostResult = await Trusting().RunAsync(TestProbes.Tcp(wrongHost, TcpService.Imaps));
        var selfSignedResult = await Trusting().RunAsync(TestProbes.Tcp(selfSigned, TcpService.Imaps));
        var untrusted = await TestProbes.Runner().RunAsync(TestProbes.Tcp(mail.Dovecot.Imaps, TcpService.Imaps));

        Assert.All([expiredResult, wrongHostResult, selfSignedResult, untrusted], r => Assert.True(r.Success, r.Message));
        Assert.False(expiredResult.Certificate!.Valid);
        Assert.Contains("expired", expiredResult.Certificate.Problem, StringComparison.Ordinal);
        Assert.False(wrongHostResult.Certificate!.Valid);
        Assert.Contains("not valid for localhost", wrongHostResult.Certificate.Problem, StringComparison.Ordinal);
        Assert.False(selfSignedResult.Certificate!.Valid);
        Assert.Contains("self-signed", selfSignedResult.Certificate.Problem, StringComparison.Ordinal);
        Assert.False(untrusted.Certificate!.Valid);
        Assert.Contains("untrusted", untrusted.Certificate.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Implicit_tls_against_a_plain_port_is_a_tls_failure()
    {
        mail.Require();

        var result = await Trusting().RunAsync(TestProbes.Tcp(mail.Dovecot.Imap, TcpService.Imaps, readTimeoutSeconds: 2, timeoutSeconds: 4));

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.StartsWith($"The service on port {mail.Dovecot.Imap} does not speak TLS; it sent an IMAP greeting (“* OK ", result.Message, StringComparison.Ordinal);
    }
}
