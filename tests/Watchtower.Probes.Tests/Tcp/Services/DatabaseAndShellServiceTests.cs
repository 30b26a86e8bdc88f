using Npgsql;
using Watchtower.Probes.Tcp;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Tcp.Services;

/// <summary>Redis, SSH, FTP, MariaDB, PostgreSQL and RDP checks against the real server software.</summary>
public sealed class DatabaseAndShellServiceTests
{
    private readonly ProbeRunner runner = TestProbes.Runner();

    [Fact]
    public async Task Redis_answers_ping_with_pong()
    {
        var (server, port) = await RealServers.RedisAsync();
        await using var _ = server;

        var result = await runner.RunAsync(TestProbes.Tcp(port, TcpService.Redis));

        Assert.True(result.Success, result.Message);
        Assert.Equal("+PONG", result.Banner);
        Assert.Equal("Redis answered PING with PONG.", result.Message);
        Assert.NotNull(result.Timings.FirstByte);
    }

    [Fact]
    public async Task Redis_with_a_password_is_up_and_says_it_needs_authentication()
    {
        var (server, port) = await RealServers.RedisAsync(password: "s3cret-for-tests");
        await using var _ = server;

        var result = await runner.RunAsync(TestProbes.Tcp(port, TcpService.Redis));

        Assert.True(result.Success, result.Message);
        Assert.StartsWith("-NOAUTH", result.Banner, StringComparison.Ordinal);
        Assert.Contains("requires authentication", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_in_protected_mode_is_up_and_says_it_refuses_remote_clients()
    {
        // A real protected-mode Redis answers only clients that are not on its loopback interface,
        // and the tests' servers stay on loopback: a listener plays its exact answer instead.
        const string denied = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. "
            + "In this mode connections are only accepted from the loopback interface.";
        await using var listener = new ScriptedListener(ListenerScript.Say, System.Text.Encoding.ASCII.GetBytes(denied + "\r\n"));

        var result = await runner.RunAsync(TestProbes.Tcp(listener.Port, TcpService.Redis));

        Assert.True(result.Success, result.Message);
        Assert.Equal(FailureReason.None, result.Reason);
        Assert.StartsWith("-DENIED Redis is running in protected mode", result.Banner, StringComparison.Ordinal);
        Assert.StartsWith("Redis is up but in protected mode: it refuses clients that are not on its own machine", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Custom_send_and_expect_against_redis()
    {
        var (server, port) = await RealServers.RedisAsync();
        await using var _ = server;

        ProbeRequest Custom(string expect, ExpectMode mode) => TestProbes.Custom(port, "ECHO hello-watchtower\\r\\n", expect, mode, readTimeoutSeconds: 3);

        var contains = await runner.RunAsync(Custom("hello-watchtower", ExpectMode.Contains));
        var regex = await runner.RunAsync(Custom("^\\$\\d+\\r\\nhello-w", ExpectMode.Regex));
        var mismatch = await runner.RunAsync(Custom("goodbye", ExpectMode.Contains));

        Assert.True(contains.Success, contains.Message);
        Assert.True(regex.Success, regex.Message);
        Assert.False(mismatch.Success);
        Assert.Equal(FailureReason.UnexpectedResponse, mismatch.Reason);
        Assert.Contains("does not contain “goodbye”", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("hello-watchtower", mismatch.Banner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Custom_hex_payload_against_redis()
    {
        var (server, port) = await RealServers.RedisAsync();
        await using var _ = server;

        var result = await runner.RunAsync(TestProbes.Custom(port, "50 49 4e 47 0d 0a", "+PONG", format: PayloadFormat.Hex));

        Assert.True(result.Success, result.Message);
    }

    [Fact]
    public async Task Sshd_reports_its_version()
    {
        var (server, port) = await RealServers.SshdAsync();
        await using var _ = server;

        var result = await runner.RunAsync(TestProbes.Tcp(port, TcpService.Ssh));

        Assert.True(result.Success, result.Message);
        Assert.StartsWith("SSH-2.0-OpenSSH_", result.Banner, StringComparison.Ordinal);
        Assert.StartsWith("SSH server identified itself as OpenSSH_", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vsftpd_greets_with_220()
    {
        var (server, port) = await RealServers.VsftpdAsync();
        await using var _ = server;

        var result = await runner.RunAsync(TestProbes.Tcp(port, TcpService.Ftp));

        Assert.True(result.Success, result.Message);
        Assert.Contains("vsFTPd", result.Banner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misconfigured_vsftpd_that_greets_with_500_is_an_unexpected_response()
    {
        var (server, port) = await RealServers.VsftpdAsync(broken: true);
        await using var _ = server;

        var result = await runner.RunAsync(TestProbes.Tcp(port, TcpService.Ftp));

        Assert.False(result.Success);
        Assert.Equal(FailureReason.UnexpectedResponse, result.Reason);
        Assert.Contains("greeted with 500 instead of 220", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mariadb_sends_its_protocol_10_greeting_and_version()
    {
        var (server, port) = await RealServers.MariaDbAsync();
        await using var _ = server;

        var result = await runner.RunAsync(TestProbes.Tcp(port, TcpService.MySql));

        Assert.True(result.Success, result.Message);
        Assert.Contains("MariaDB", result.Banner, StringComparison.Ordinal);
        Assert.Contains("protocol-10 greeting", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgresql_answers_the_ssl_request()
    {
        var builder = new NpgsqlConnectionStringBuilder(await TestPostgres.CreateDatabaseAsync(TestContext.Current.CancellationToken));

        var result = await runner.RunAsync(TestProbes.Tcp(builder.Port, TcpService.Postgres, host: builder.Host!));

        Assert.True(result.Success, result.Message);
        Assert.StartsWith("SSLRequest → ", result.Banner, StringComparison.Ordinal);
        Assert.StartsWith("PostgreSQL server answered", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Xrdp_confirms_the_x224_connection_request()
    {
        var (server, port) = await RealServers.XrdpAsync();
        await using var _ = server;

        var result = await runner.RunAsync(TestProbes.Tcp(port, TcpService.Rdp));

        Assert.True(result.Success, result.Message);
        // We offer TLS and CredSSP; the packaged xrdp (security_layer=negotiate) picks TLS.
        Assert.Equal("X.224 Connection Confirm; protocol TLS", result.Banner);
    }

    [Fact]
    public async Task A_redis_check_against_an_ssh_server_is_an_unexpected_response()
    {
        var (server, port) = await RealServers.SshdAsync();
        await using var _ = server;

        var result = await runner.RunAsync(TestProbes.Tcp(port, TcpService.Redis));

        Assert.False(result.Success);
        Assert.Equal(FailureReason.UnexpectedResponse, result.Reason);
        Assert.Contains("it is not Redis", result.Message, StringComparison.Ordinal);
    }
}
