using System.Net;
using System.Net.Sockets;
using System.Text;
using Watchtower.Probes.Http;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tests.Tcp;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Tls;

/// <summary>
/// A TLS check pointed at a port that speaks plain text says what answered, in words, instead of
/// the TLS stack's “corrupted frame”: for the SSL check, an implicit-TLS conversation and https.
/// </summary>
public sealed class NotTlsTests
{
    private readonly ProbeRunner runner = TestProbes.Runner();

    private static ProbeRequest Ssl(int port) =>
        new(new SslSettings { Host = "127.0.0.1", Port = port, ServerName = "localhost" }, TimeSpan.FromSeconds(10));

    private static ProbeRequest Https(int port) =>
        new(new HttpSettings { Url = $"https://localhost:{port}/" }, TimeSpan.FromSeconds(10));

    /// <summary>The SSL check, an implicit-TLS conversation of <paramref name="service"/> and an https check, all against <paramref name="port"/>.</summary>
    private async Task<ProbeResult[]> AllThreeAsync(int port, TcpService service) =>
    [
        await runner.RunAsync(Ssl(port), TestContext.Current.CancellationToken),
        await runner.RunAsync(TestProbes.Tcp(port, service, readTimeoutSeconds: 3), TestContext.Current.CancellationToken),
        await runner.RunAsync(Https(port), TestContext.Current.CancellationToken),
    ];

    [Fact]
    public async Task A_plain_http_server_answered_like_http()
    {
        await using var web = await TestWebServer.StartAsync();
        var port = new Uri(web.HttpBase).Port;

        var results = await AllThreeAsync(port, TcpService.Imaps);

        Assert.All(results, r =>
        {
            Assert.False(r.Success);
            Assert.Equal(FailureReason.Tls, r.Reason);
            Assert.Equal($"The service on port {port} does not speak TLS; it answered like HTTP (“HTTP/1.1 400 Bad Request”).", r.Message);
        });
    }

    [Fact]
    public async Task A_plain_smtp_greeting_is_named()
    {
        await using var smtp = new ScriptedListener(ListenerScript.Say, "220 mail.example.test ESMTP ready\r\n"u8.ToArray());

        var results = await AllThreeAsync(smtp.Port, TcpService.Smtps);

        Assert.All(results, r =>
        {
            Assert.Equal(FailureReason.Tls, r.Reason);
            Assert.Equal($"The service on port {smtp.Port} does not speak TLS; it sent an SMTP or FTP greeting (“220 mail.example.test ESMTP ready”).", r.Message);
        });
    }

    [Fact]
    public async Task A_peer_that_closes_without_a_word_is_named()
    {
        await using var closing = new ScriptedListener(ListenerScript.Close);

        var results = await AllThreeAsync(closing.Port, TcpService.Imaps);

        Assert.All(results, r =>
        {
            Assert.Equal(FailureReason.Tls, r.Reason);
            Assert.Equal($"The service on port {closing.Port} closed the connection without answering the TLS handshake; it may not speak TLS.", r.Message);
        });
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "it sent an SSH greeting (“SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3”)")]
    [InlineData("* OK [CAPABILITY IMAP4rev1] ready\r\n", "it sent an IMAP greeting (“* OK [CAPABILITY IMAP4rev1] ready”)")]
    [InlineData("+OK POP3 ready\r\n", "it sent a POP3 greeting (“+OK POP3 ready”)")]
    [InlineData("-ERR unknown command\r\n", "it answered like Redis (“-ERR unknown command”)")]
    [InlineData("-DENIED Redis is running in protected mode\r\n", "it answered like Redis (“-DENIED Redis is running in protected mode”)")]
    [InlineData("\r\nhello there, this is not TLS\r\nsecond line\r\n", "it sent plain text (“hello there, this is not TLS”)")]
    [InlineData("\u0001\u0002\u0003\u0000\u0000\u0000\u0000\u0000\u0000\u0000", "it sent 10 bytes that are not TLS (0102030000000000…)")]
    public async Task What_answered_is_named(string greeting, string words)
    {
        await using var listener = new ScriptedListener(ListenerScript.Say, Encoding.Latin1.GetBytes(greeting));

        var result = await runner.RunAsync(Ssl(listener.Port), TestContext.Current.CancellationToken);

        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.Equal($"The service on port {listener.Port} does not speak TLS; {words}.", result.Message);
    }

    [Fact]
    public async Task A_long_line_is_cut()
    {
        var line = "220 " + new string('x', 200);
        await using var listener = new ScriptedListener(ListenerScript.Say, Encoding.ASCII.GetBytes(line + "\r\n"));

        var result = await runner.RunAsync(Ssl(listener.Port), TestContext.Current.CancellationToken);

        Assert.Equal($"The service on port {listener.Port} does not speak TLS; it sent an SMTP or FTP greeting (“{line[..80]}…”).", result.Message);
    }

    [Fact]
    public async Task A_server_that_accepts_starttls_and_then_talks_plain_text_is_named()
    {
        // Greets, answers STARTTLS with OK, then answers the ClientHello with text and closes.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var token = TestContext.Current.CancellationToken;
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(token);
            await using var stream = new NetworkStream(socket);
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            await stream.WriteAsync("* OK fake IMAP ready\r\n"u8.ToArray(), token);
            var command = await reader.ReadLineAsync(token);
            var tag = command!.Split(' ')[0];
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{tag} OK Begin TLS negotiation now\r\n"), token);
            var hello = new byte[512];
            _ = await stream.ReadAsync(hello, token);
            await stream.WriteAsync("* BAD not really\r\n"u8.ToArray(), token);
            socket.Shutdown(SocketShutdown.Both);
        }, token);

        var result = await runner.RunAsync(TestProbes.Tcp(port, TcpService.Imap, startTls: true, readTimeoutSeconds: 3), TestContext.Current.CancellationToken);
        await server.WaitAsync(TimeSpan.FromSeconds(10), token);

        Assert.Equal(FailureReason.Tls, result.Reason);
        Assert.Equal("IMAP server did not start TLS after STARTTLS; it sent plain text (“* BAD not really”).", result.Message);
    }
}
