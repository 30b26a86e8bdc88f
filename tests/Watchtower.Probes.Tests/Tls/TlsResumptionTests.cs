using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Watchtower.Probes.Http;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tests.Tcp;
using Watchtower.Probes.Tls;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Tls;

/// <summary>
/// The field case: postfix shares its session-ticket keys between ports, so a check of port B right
/// after a check of port A (same host name) resumed A's TLS session and reported A's certificate.
/// Reproduced with two real stunnel instances sharing ticket keys, one presenting a certificate for
/// localhost and the other one for another name.
/// </summary>
public sealed class TlsResumptionTests : IAsyncDisposable
{
    private readonly TestCertificates certificates = new();
    private readonly List<IAsyncDisposable> servers = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        certificates.Dispose();
    }

    /// <summary>Port A presents CN=localhost, port B CN=other.example; both take each other's session tickets.</summary>
    private async Task<(int A, int B)> SharingTicketsAsync(int plainPort, params string[] options)
    {
        var secrets = new[]
        {
            $"ticketKeySecret = {Convert.ToHexString(RandomNumberGenerator.GetBytes(32))}",
            $"ticketMacSecret = {Convert.ToHexString(RandomNumberGenerator.GetBytes(32))}",
        };
        var (certA, keyA) = certificates.Write("a", certificates.Leaf("localhost"), certificates.Intermediate);
        var (certB, keyB) = certificates.Write("b", certificates.Leaf("other.example"), certificates.Intermediate);
        var (a, portA) = await RealServers.StunnelAsync(plainPort, certA, keyA, [.. secrets, .. options]);
        servers.Add(a);
        var (b, portB) = await RealServers.StunnelAsync(plainPort, certB, keyB, [.. secrets, .. options]);
        servers.Add(b);
        return (portA, portB);
    }

    private async Task<int> ImapGreeterAsync()
    {
        var greeter = new ScriptedListener(ListenerScript.Say, "* OK test IMAP ready\r\n"u8.ToArray());
        servers.Add(greeter);
        return greeter.Port;
    }

    [Fact]
    public async Task An_ssl_check_of_port_b_after_port_a_reports_the_certificate_of_port_b()
    {
        // TLS 1.2 carries the session ticket inside the handshake, so a check that only completes the
        // handshake (the SSL check) already receives one.
        var (a, b) = await SharingTicketsAsync(await ImapGreeterAsync(), "sslVersionMax = TLSv1.2");
        await AssertServersResumeEachOtherAsync(a, b, tls12: true);
        var runner = TestProbes.Runner(certificates.Authority);
        ProbeRequest Ssl(int port) => new(new SslSettings { Host = "127.0.0.1", Port = port, ServerName = "localhost" }, TimeSpan.FromSeconds(10));

        var first = await runner.RunAsync(Ssl(a), TestContext.Current.CancellationToken);
        var second = await runner.RunAsync(Ssl(b), TestContext.Current.CancellationToken);

        Assert.True(first.Certificate!.Valid, first.Certificate.Problem);
        Assert.Equal("CN=localhost", first.Certificate.Subject);
        Assert.Equal("Tls12", second.TlsProtocol);
        Assert.Equal("CN=other.example", second.Certificate!.Subject);
        Assert.False(second.Certificate.Valid);
        Assert.Equal([CertificateProblem.NameMismatch], second.Certificate.Problems);
    }

    [Fact]
    public async Task An_imaps_check_of_port_b_after_port_a_reports_the_certificate_of_port_b()
    {
        // TLS 1.3 sends tickets after the handshake; reading the greeting receives them.
        var (a, b) = await SharingTicketsAsync(await ImapGreeterAsync());
        await AssertServersResumeEachOtherAsync(a, b, tls12: false);
        var runner = TestProbes.Runner(certificates.Authority);

        var first = await runner.RunAsync(TestProbes.Tcp(a, TcpService.Imaps), TestContext.Current.CancellationToken);
        var second = await runner.RunAsync(TestProbes.Tcp(b, TcpService.Imaps), TestContext.Current.CancellationToken);

        Assert.True(first.Success, first.Message);
        Assert.True(first.Certificate!.Valid, first.Certificate.Problem);
        Assert.True(second.Success, second.Message);
        Assert.Equal("Tls13", second.TlsProtocol);
        Assert.Equal("CN=other.example", second.Certificate!.Subject);
        Assert.False(second.Certificate.Valid);
        Assert.Contains("not valid for localhost", second.Certificate.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_check_of_port_b_after_port_a_judges_the_certificate_of_port_b()
    {
        await using var web = await TestWebServer.StartAsync();
        var (a, b) = await SharingTicketsAsync(new Uri(web.HttpBase).Port);
        await AssertServersResumeEachOtherAsync(a, b, tls12: false);
        var runner = TestProbes.Runner(certificates.Authority);
        static ProbeRequest Get(int port) =>
            new(new HttpSettings { Url = $"https://localhost:{port}/ok" }, TimeSpan.FromSeconds(10));

        var first = await runner.RunAsync(Get(a), TestContext.Current.CancellationToken);
        var second = await runner.RunAsync(Get(b), TestContext.Current.CancellationToken);

        Assert.True(first.Success, first.Message);
        Assert.Equal(FailureReason.Tls, second.Reason);
        Assert.Contains("not valid for localhost", second.Message, StringComparison.Ordinal);
        Assert.Equal("CN=other.example", second.Certificate!.Subject);
    }

    /// <summary>
    /// Shows the setup reproduces the field case, so the assertions above mean something: the openssl
    /// client saves its session with A and port B resumes it ("Reused").
    /// </summary>
    private async Task AssertServersResumeEachOtherAsync(int a, int b, bool tls12)
    {
        ServerProcess.RequireBinary("/usr/bin/openssl", "openssl");
        var session = Path.Combine(certificates.Folder, $"session-{a}.pem");
        string[] version = tls12 ? ["-tls1_2"] : [];
        var withA = await SClientAsync(["-connect", $"127.0.0.1:{a}", "-servername", "localhost", "-sess_out", session, .. version], tls12);
        var withB = await SClientAsync(["-connect", $"127.0.0.1:{b}", "-servername", "localhost", "-sess_in", session, .. version], tls12);

        Assert.Contains("New, TLSv1.", withA, StringComparison.Ordinal);
        Assert.Contains("Reused, TLSv1.", withB, StringComparison.Ordinal);
    }

    /// <summary>Runs openssl s_client; in TLS 1.3 it waits a moment before closing, so the tickets sent after the handshake arrive.</summary>
    private static async Task<string> SClientAsync(string[] args, bool tls12)
    {
        var info = new ProcessStartInfo("/usr/bin/openssl") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["s_client", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await Task.Delay(tls12 ? 200 : 1000);
        process.StandardInput.Close();
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await process.WaitForExitAsync(bounded.Token);
        return new StringBuilder().Append(await output).Append(await errors).ToString();
    }
}
