namespace Watchtower.Probes.Tests;

public sealed class ProbeRunnerTests
{
    private sealed class FakeProbe(ProbeKind kind, Func<CancellationToken, Task<ProbeResult>> run) : IProbe
    {
        public ProbeKind Kind => kind;

        public Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken) => run(cancellationToken);
    }

    private static ProbeRequest Request(ProbeKind kind = ProbeKind.Tcp, double timeoutSeconds = 5) =>
        new(kind == ProbeKind.Seo ? new Watchtower.Probes.Seo.SeoSettings { Url = "https://example.com/" } : new Watchtower.Probes.Tcp.TcpSettings { Host = "example.com", Port = 25 }, TimeSpan.FromSeconds(timeoutSeconds));

    [Fact]
    public async Task A_kind_without_a_probe_is_an_error_result()
    {
        var runner = new ProbeRunner([], TimeProvider.System);

        var result = await runner.RunAsync(Request(ProbeKind.Seo), TestContext.Current.CancellationToken);

        Assert.False(result.Success);
        Assert.Equal(FailureReason.Error, result.Reason);
        Assert.Contains("Seo", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_probe_that_throws_becomes_an_error_result()
    {
        var runner = new ProbeRunner([new FakeProbe(ProbeKind.Tcp, _ => throw new InvalidOperationException("boom"))], TimeProvider.System);

        var result = await runner.RunAsync(Request(), TestContext.Current.CancellationToken);

        Assert.Equal(FailureReason.Error, result.Reason);
        Assert.Contains("boom", result.Message, StringComparison.Ordinal);
        Assert.NotEqual(default, result.StartedAt);
    }

    [Fact]
    public async Task A_probe_that_hangs_is_stopped_at_the_timeout()
    {
        var runner = new ProbeRunner([new FakeProbe(ProbeKind.Tcp, async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        })], TimeProvider.System);

        var result = await runner.RunAsync(Request(timeoutSeconds: 0.3), TestContext.Current.CancellationToken);

        Assert.Equal(FailureReason.Timeout, result.Reason);
        Assert.Equal("No answer within 0.3 s.", result.Message);
        Assert.InRange(result.Timings.Total, TimeSpan.FromSeconds(0.25), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_turned_into_a_result()
    {
        var runner = new ProbeRunner([new FakeProbe(ProbeKind.Tcp, async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        })], TimeProvider.System);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(Request(), cts.Token));
    }

    [Fact]
    public async Task The_runner_measures_total_time()
    {
        var runner = new ProbeRunner([new FakeProbe(ProbeKind.Tcp, async ct =>
        {
            await Task.Delay(150, ct);
            return new ProbeResult { Success = true, Message = "ok" };
        })], TimeProvider.System);

        var result = await runner.RunAsync(Request(), TestContext.Current.CancellationToken);

        Assert.True(result.Success);
        Assert.InRange(result.Timings.Total, TimeSpan.FromMilliseconds(140), TimeSpan.FromSeconds(3));
    }
}
