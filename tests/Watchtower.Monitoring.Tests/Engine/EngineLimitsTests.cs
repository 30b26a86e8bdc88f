using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Monitoring.Engine;
using Watchtower.Probes.Tcp;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Engine;

/// <summary>
/// What bounds probes in a Worker: a per-host limit, so one target host is never hammered and a host
/// with many checks does not hold the engine's slots; and results written as each probe ends, so a
/// batch's slow targets never hold back its fast ones.
/// </summary>
public sealed class EngineLimitsTests : EngineTestBase
{
    protected override TestStore Store => TestStore.Sqlite;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Watchtower:Engine:ProbesPerHost"] = "2",
    };

    [Fact]
    public async Task One_host_never_has_more_probes_at_once_than_the_per_host_limit_and_other_hosts_do_not_wait_for_it()
    {
        // Every connection is held 400 ms before the SSH banner comes: probes of one host overlap
        // unless the engine keeps them apart.
        await using var busy = new SlowBannerListener(IPAddress.Loopback, TimeSpan.FromMilliseconds(400));
        await using var other = new SlowBannerListener(IPAddress.Parse("127.0.0.2"), TimeSpan.FromMilliseconds(400));
        var now = DateTimeOffset.UtcNow;
        var busyChecks = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            busyChecks.Add((await AddCheckAsync(busy.Port, now, timeoutSeconds: 10, service: TcpService.Ssh)).Id);
        }

        var otherChecks = new List<int>();
        for (var i = 0; i < 2; i++)
        {
            otherChecks.Add((await AddCheckAsync(other.Port, now, host: "127.0.0.2", timeoutSeconds: 10, service: TcpService.Ssh)).Id);
        }

        await App.Services.GetRequiredService<ProbeEngine>().RunNowAsync([.. busyChecks, .. otherChecks], TestContext.Current.CancellationToken);

        Assert.Equal(2, busy.MostAtOnce); // the limit, reached and never passed
        Assert.Equal(8, busy.Served);
        Assert.Equal(2, other.Served);
        // Eight probes two at a time take four rounds of 400 ms; the other host's two ran in the first round.
        var busyDone = (await QueryAsync(db => db.Checks.Where(c => busyChecks.Contains(c.Id)).Select(c => c.LastCheckedAt))).Max();
        var otherDone = (await QueryAsync(db => db.Checks.Where(c => otherChecks.Contains(c.Id)).Select(c => c.LastCheckedAt))).Max();
        Assert.True(otherDone < busyDone!.Value.AddMilliseconds(-800), $"the other host waited for the busy one: {otherDone:O} vs {busyDone:O}");
        foreach (var id in busyChecks.Concat(otherChecks))
        {
            Assert.Equal(Watchtower.Data.Entities.CheckState.Up, (await ReloadAsync(id)).State);
        }
    }

    [Fact]
    public async Task A_slow_target_does_not_hold_back_the_results_of_its_batch()
    {
        await using var listener = new LoopbackListener();
        using var blackhole = new BlackholeListener();
        var now = DateTimeOffset.UtcNow;
        var fast = await AddCheckAsync(listener.Port, now);
        var slow = await AddCheckAsync(blackhole.Port, now, timeoutSeconds: 4);

        var started = DateTime.UtcNow;
        var batch = App.Services.GetRequiredService<ProbeEngine>().RunNowAsync([slow.Id, fast.Id], TestContext.Current.CancellationToken);
        while ((await ReloadAsync(fast.Id)).LastCheckedAt is null && DateTime.UtcNow - started < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        var fastWritten = DateTime.UtcNow - started;
        Assert.False(batch.IsCompleted, "the batch should still be waiting on the slow target");
        Assert.True(fastWritten < TimeSpan.FromSeconds(3), $"the fast check's result was written after {fastWritten.TotalSeconds:0.0} s, held back by the slow one");
        await batch;
        Assert.Equal(Watchtower.Probes.FailureReason.Timeout, (await ReloadAsync(slow.Id)).LastReason);
    }

    /// <summary>An SSH-looking server that answers each connection after a delay and counts how many it holds at once.</summary>
    private sealed class SlowBannerListener : IAsyncDisposable
    {
        private readonly TcpListener listener;
        private readonly TimeSpan delay;
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;
        private int current;
        private int most;
        private int served;

        public SlowBannerListener(IPAddress address, TimeSpan delay)
        {
            listener = new TcpListener(address, 0);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
            this.delay = delay;
            loop = AcceptAsync();
        }

        public int Port { get; }

        public int MostAtOnce => Volatile.Read(ref most);

        public int Served => Volatile.Read(ref served);

        private async Task AcceptAsync()
        {
            var handlers = new List<Task>();
            try
            {
                while (true)
                {
                    handlers.Add(ServeAsync(await listener.AcceptSocketAsync(stop.Token)));
                }
            }
            catch (OperationCanceledException)
            {
            }

            await Task.WhenAll(handlers);
        }

        private async Task ServeAsync(Socket socket)
        {
            using (socket)
            {
                var now = Interlocked.Increment(ref current);
                int seen;
                while (now > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, now, seen) != seen)
                {
                }

                var counted = true;
                try
                {
                    await Task.Delay(delay, stop.Token);
                    // Counted from the accept to the banner: a probe cannot end (and let the next one of its
                    // host in) before it has the banner, so this count is exactly the probes the host sees at once.
                    Interlocked.Decrement(ref current);
                    counted = false;
                    await socket.SendAsync("SSH-2.0-OpenSSH_9.2p1 Debian\r\n"u8.ToArray(), stop.Token);
                    // Held until the probe hangs up: its whole conversation counts.
                    var buffer = new byte[256];
                    while (await socket.ReceiveAsync(buffer, stop.Token) > 0)
                    {
                    }

                    Interlocked.Increment(ref served);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException)
                {
                }
                finally
                {
                    if (counted)
                    {
                        Interlocked.Decrement(ref current);
                    }
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            await loop;
            stop.Dispose();
        }
    }
}
