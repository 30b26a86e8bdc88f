using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Watchtower.Probes.Egress;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tests.Egress;
using Watchtower.Testing;

namespace Watchtower.Probes.Tests.Tcp;

/// <summary>The TCP probe through the runner, against real sockets on this machine.</summary>
public sealed class TcpProbeTests
{
    private static ProbeRunner Runner(bool allowPrivate = true, IHostResolver? resolver = null)
    {
        var guard = new EgressGuard(Options.Create(new EgressOptions { AllowPrivateTargets = allowPrivate }), resolver ?? new SystemHostResolver());
        var tls = new Watchtower.Probes.Tls.TlsInspector(Options.Create(new Watchtower.Probes.Tls.TlsOptions()), TimeProvider.System);
        return new ProbeRunner([new TcpProbe(guard, tls, [], TimeProvider.System)], TimeProvider.System);
    }

    private static ProbeRequest Tcp(string host, int port, double timeoutSeconds = 3) =>
        new(new TcpSettings { Host = host, Port = port }, TimeSpan.FromSeconds(timeoutSeconds));

    [Fact]
    public async Task An_open_port_is_up_with_the_address_dialled_and_the_connect_time()
    {
        await using var listener = new LoopbackListener();

        var result = await Runner().RunAsync(Tcp("127.0.0.1", listener.Port), TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Message);
        Assert.Equal(FailureReason.None, result.Reason);
        Assert.Equal($"127.0.0.1:{listener.Port}", result.RemoteEndpoint);
        Assert.NotNull(result.Timings.Connect);
        Assert.True(result.Timings.Total >= result.Timings.Connect);
        Assert.Null(result.Timings.Dns);
        Assert.Contains($"Port {listener.Port} is open", result.Message, StringComparison.Ordinal);
        await WaitForAsync(() => listener.Accepted == 1);
    }

    [Fact]
    public async Task A_closed_port_is_refused()
    {
        var port = ClosedPort();

        var result = await Runner().RunAsync(Tcp("127.0.0.1", port), TestContext.Current.CancellationToken);

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Refused, result.Reason);
        Assert.Equal($"Connection refused on port {port}.", result.Message);
        Assert.Equal($"127.0.0.1:{port}", result.RemoteEndpoint);
    }

    [Fact]
    public async Task A_loopback_target_is_blocked_by_default_and_never_dialled()
    {
        await using var listener = new LoopbackListener();

        var result = await Runner(allowPrivate: false).RunAsync(Tcp("127.0.0.1", listener.Port), TestContext.Current.CancellationToken);

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Blocked, result.Reason);
        Assert.Contains("loopback", result.Message, StringComparison.Ordinal);
        Assert.Contains("AllowPrivateTargets", result.Message, StringComparison.Ordinal);
        Assert.Null(result.RemoteEndpoint);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(0, listener.Accepted);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_blocked_too()
    {
        var result = await Runner(allowPrivate: false).RunAsync(Tcp("localhost", 22), TestContext.Current.CancellationToken);

        Assert.Equal(FailureReason.Blocked, result.Reason);
        Assert.Contains("localhost resolves to", result.Message, StringComparison.Ordinal);
        Assert.NotNull(result.Timings.Dns);
    }

    [Fact]
    public async Task A_full_accept_queue_gives_a_connect_timeout_within_the_budget()
    {
        using var blackhole = new BlackholeListener();
        var watch = Stopwatch.StartNew();

        var result = await Runner().RunAsync(Tcp("127.0.0.1", blackhole.Port, timeoutSeconds: 1), TestContext.Current.CancellationToken);

        watch.Stop();
        Assert.False(result.Success);
        Assert.Equal(FailureReason.Timeout, result.Reason);
        Assert.Contains($"No answer from 127.0.0.1 on port {blackhole.Port}", result.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(5));
        Assert.InRange(result.Timings.Total, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_address_that_never_answers_leaves_time_for_the_next_one()
    {
        // Two loopback addresses for one name: 127.0.0.1 drops SYNs (full accept queue), 127.0.0.2 accepts on the same port.
        using var blackhole = new BlackholeListener();
        await using var listener = new LoopbackListener(IPAddress.Parse("127.0.0.2"), blackhole.Port);
        var resolver = new FixedResolver(new() { ["two.example"] = [IPAddress.Loopback, IPAddress.Parse("127.0.0.2")] });

        var result = await Runner(resolver: resolver).RunAsync(Tcp("two.example", blackhole.Port, timeoutSeconds: 4), TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Message);
        Assert.Equal($"127.0.0.2:{blackhole.Port}", result.RemoteEndpoint);
        Assert.Contains($"Port {blackhole.Port} is open", result.Message, StringComparison.Ordinal);
        Assert.Contains("Before 127.0.0.2 answered, the probe tried 127.0.0.1 (no answer within ", result.Message, StringComparison.Ordinal);
        await WaitForAsync(() => listener.Accepted == 1);
    }

    [Fact]
    public async Task When_every_address_fails_the_result_lists_the_addresses_tried()
    {
        using var blackhole = new BlackholeListener();
        var resolver = new FixedResolver(new() { ["two.example"] = [IPAddress.Loopback, IPAddress.Parse("127.0.0.2")] });

        var result = await Runner(resolver: resolver).RunAsync(Tcp("two.example", blackhole.Port, timeoutSeconds: 4), TestContext.Current.CancellationToken);

        // The first address times out within its share of the budget; the second (nothing listens there) refuses.
        Assert.False(result.Success);
        Assert.Equal(FailureReason.Refused, result.Reason);
        Assert.StartsWith($"Connection refused on port {blackhole.Port}.", result.Message, StringComparison.Ordinal);
        Assert.Contains("Tried 127.0.0.1 (no answer within", result.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.2 (refused)", result.Message, StringComparison.Ordinal);
        Assert.Equal($"127.0.0.2:{blackhole.Port}", result.RemoteEndpoint);
    }

    [Fact]
    public async Task A_network_the_kernel_cannot_route_to_is_unreachable()
    {
        // 127.255.255.255 is the loopback broadcast address (a "broadcast … dev lo" route in the local
        // table): Linux refuses a TCP connect to a broadcast route with ENETUNREACH before sending
        // anything, and the route is on lo anyway, so no packet can leave this machine.
        var result = await Runner().RunAsync(Tcp("127.255.255.255", 9), TestContext.Current.CancellationToken);

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Unreachable, result.Reason);
        Assert.Equal("The network of 127.255.255.255 is unreachable.", result.Message);
        Assert.Equal("127.255.255.255:9", result.RemoteEndpoint);
    }

    [Fact]
    public async Task An_unreachable_address_falls_through_to_the_next_one()
    {
        await using var listener = new LoopbackListener();
        var resolver = new FixedResolver(new() { ["mixed.example"] = [IPAddress.Parse("127.255.255.255"), IPAddress.Loopback] });

        var result = await Runner(resolver: resolver).RunAsync(Tcp("mixed.example", listener.Port), TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Message);
        Assert.Equal($"127.0.0.1:{listener.Port}", result.RemoteEndpoint);
    }

    [Fact]
    public async Task Localhost_resolves_and_reports_the_address_it_dialled()
    {
        await using var listener = new LoopbackListener();

        var result = await Runner().RunAsync(Tcp("localhost", listener.Port), TestContext.Current.CancellationToken);

        // localhost may resolve to ::1 first where nothing listens; the probe then tries 127.0.0.1.
        Assert.True(result.Success, result.Message);
        Assert.Equal($"127.0.0.1:{listener.Port}", result.RemoteEndpoint);
        Assert.NotNull(result.Timings.Dns);
    }

    [Fact]
    public async Task An_ipv6_loopback_listener_is_reached_over_ipv6()
    {
        using var server = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            server.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        }
        catch (SocketException ex)
        {
            Assert.Skip($"This machine has no IPv6 loopback ({ex.SocketErrorCode}).");
        }

        server.Listen(8);
        var port = ((IPEndPoint)server.LocalEndPoint!).Port;

        var result = await Runner().RunAsync(Tcp("::1", port), TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Message);
        Assert.Equal($"[::1]:{port}", result.RemoteEndpoint);
    }

    [Fact]
    public async Task An_unknown_name_is_a_dns_failure()
    {
        var result = await Runner().RunAsync(Tcp("watchtower-test.invalid", 25), TestContext.Current.CancellationToken);

        Assert.Equal(FailureReason.Dns, result.Reason);
        Assert.Contains("watchtower-test.invalid", result.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.True(condition());
    }
}
