using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Watchtower.Probes.Tcp;
using Watchtower.Testing;

namespace Watchtower.Probes.Tests.Tcp.Services;

/// <summary>Every failure reason a TCP service check can give, each produced for real on this machine.</summary>
public sealed class FaultTests
{
    private readonly ProbeRunner runner = TestProbes.Runner();

    [Fact]
    public async Task A_service_that_accepts_and_never_speaks_is_silent()
    {
        await using var listener = new ScriptedListener(ListenerScript.Silent);
        var watch = Stopwatch.StartNew();

        var result = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.Smtp, readTimeoutSeconds: 1));

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Silent, result.Reason);
        Assert.Equal("SMTP server did not greet within 1 s.", result.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(5));
        Assert.Null(result.Timings.FirstByte);
    }

    [Fact]
    public async Task A_service_that_answers_garbage_is_an_unexpected_response()
    {
        await using var listener = new ScriptedListener(ListenerScript.Say, Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"));

        var smtp = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.Smtp));
        var ssh = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.Ssh, readTimeoutSeconds: 1));
        var imap = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.Imap));

        Assert.Equal(FailureReason.UnexpectedResponse, smtp.Reason);
        Assert.Contains("HTTP/1.1 400 Bad Request", smtp.Message, StringComparison.Ordinal);
        Assert.NotNull(smtp.Timings.FirstByte);
        Assert.Equal(FailureReason.UnexpectedResponse, ssh.Reason);
        Assert.Equal("SSH server sent “HTTP/1.1 400 Bad Request” instead of an SSH- identification line.", ssh.Message);
        Assert.Equal("HTTP/1.1 400 Bad Request", ssh.Banner);
        Assert.Equal(FailureReason.UnexpectedResponse, imap.Reason);
        Assert.Contains("instead of * OK", imap.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ssh_check_against_a_service_that_talks_and_closes_shows_what_it_said()
    {
        await using var listener = new ScriptedListener(ListenerScript.SayThenClose, Encoding.ASCII.GetBytes("\r\n220 not ssh at all\r\n"));

        var result = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.Ssh, readTimeoutSeconds: 1));

        Assert.Equal(FailureReason.UnexpectedResponse, result.Reason);
        Assert.Equal("SSH server sent “220 not ssh at all” instead of an SSH- identification line, then closed the connection.", result.Message);
        Assert.Equal("220 not ssh at all", result.Banner);
    }

    [Theory]
    [InlineData(TcpService.Imaps, "IMAP server")]
    [InlineData(TcpService.Smtps, "SMTP server")]
    [InlineData(TcpService.Pop3s, "POP3 server")]
    public async Task An_implicit_tls_service_that_never_answers_the_handshake_is_silent(TcpService service, string label)
    {
        await using var listener = new ScriptedListener(ListenerScript.Silent);

        var result = await runner.RunAsync(TestProbes.Tcp(listener.Port, service, timeoutSeconds: 10, readTimeoutSeconds: 1));

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Silent, result.Reason);
        Assert.Equal($"{label} accepted the connection but did not answer the TLS handshake within 1 s.", result.Message);
        Assert.Equal($"127.0.0.1:{listener.Port}", result.RemoteEndpoint);
        Assert.NotNull(result.Timings.Connect);
        Assert.Null(result.Timings.Tls);
        Assert.True(result.Timings.Total < TimeSpan.FromSeconds(10), $"took {result.Timings.Total}");
    }

    [Fact]
    public async Task A_tls_handshake_that_never_answers_after_starttls_is_silent_and_keeps_the_greeting()
    {
        // Greeting and STARTTLS answer at once: the check reads both, then waits for a ServerHello that never comes.
        await using var listener = new ScriptedListener(ListenerScript.Say, Encoding.ASCII.GetBytes("* OK fake IMAP ready\r\nw1 OK Begin TLS negotiation now\r\n"));

        var result = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.Imap, startTls: true, timeoutSeconds: 10, readTimeoutSeconds: 1));

        Assert.Equal(FailureReason.Silent, result.Reason);
        Assert.Equal("IMAP server did not answer the TLS handshake within 1 s.", result.Message);
        Assert.Equal("* OK fake IMAP ready", result.Banner);
        Assert.Equal($"127.0.0.1:{listener.Port}", result.RemoteEndpoint);
        Assert.NotNull(result.Timings.FirstByte);
    }

    [Fact]
    public async Task A_binary_reply_to_a_mysql_check_is_unexpected()
    {
        await using var listener = new ScriptedListener(ListenerScript.Say, [0x05, 0x00, 0x00, 0x00, 0x09, 0x35, 0x2E, 0x30, 0x00]);

        var result = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.MySql));

        Assert.Equal(FailureReason.UnexpectedResponse, result.Reason);
        Assert.Contains("protocol 9 instead of 10", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_that_closes_at_once_is_an_unexpected_response()
    {
        await using var listener = new ScriptedListener(ListenerScript.Close);

        var result = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.Pop3));

        Assert.Equal(FailureReason.UnexpectedResponse, result.Reason);
        Assert.Equal("POP3 server closed the connection: it did not greet.", result.Message);
    }

    [Fact]
    public async Task A_service_that_resets_is_a_reset()
    {
        await using var listener = new ScriptedListener(ListenerScript.Reset);

        var result = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.Ftp));

        Assert.Equal(FailureReason.Reset, result.Reason);
        Assert.Contains("reset", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_is_refused_whatever_the_service()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        var port = ((IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();

        var result = await runner.RunAsync(TestProbes.Tcp(port, TcpService.Postgres));

        Assert.Equal(FailureReason.Refused, result.Reason);
        Assert.Equal($"Connection refused on port {port}.", result.Message);
    }

    [Fact]
    public async Task A_full_accept_queue_is_a_connect_timeout_for_a_service_check()
    {
        using var blackhole = new BlackholeListener();

        var result = await runner.RunAsync(TestProbes.Tcp(blackhole.Port, TcpService.Ssh, timeoutSeconds: 1));

        Assert.Equal(FailureReason.Timeout, result.Reason);
        Assert.Null(result.Banner);
    }

    [Fact]
    public async Task Smtp_starttls_that_the_server_does_not_offer_is_reported()
    {
        await using var listener = new ScriptedListener(ListenerScript.Say,
            Encoding.ASCII.GetBytes("220 fake ESMTP\r\n250-fake\r\n250 HELP\r\n"));

        var result = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.Smtp, startTls: true));

        Assert.Equal(FailureReason.UnexpectedResponse, result.Reason);
        Assert.Equal("SMTP server does not offer STARTTLS.", result.Message);
        Assert.Equal("220 fake ESMTP", result.Banner);
    }
}
