using System.Net;
using System.Net.Sockets;

namespace Watchtower.EngineBench;

public enum TargetKind
{
    Answering,
    Refusing,
    Timeout,
}

public readonly record struct Target(TargetKind Kind, IPAddress Address, int Port);

/// <summary>
/// The probes' targets, all on 127.0.0.0/8 and in this process, spread over many addresses so that
/// an engine limiting probes per target host sees many hosts, as it would on the internet:
/// <list type="bullet">
/// <item>answering: 127.77.x.y, a listener that accepts (async, one pending accept per address,
/// connections held until the prober closes them, so tens of thousands at once cost no threads);</item>
/// <item>refusing: 127.78.x.y, a port nobody listens on, so the kernel answers RST at once;</item>
/// <item>timing out: 127.79.x.y, a listener whose accept queue is full and never drained: Linux
/// then drops new SYNs and the connect hangs until the check's timeout (as in BlackholeListener).</item>
/// </list>
/// </summary>
public sealed class TargetFarm : IAsyncDisposable
{
    private static readonly byte[] Discard = new byte[512];
    private readonly List<Socket> sockets = [];
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> loops = [];
    private long accepted;
    private long open;

    public IReadOnlyList<Target> Answering { get; private set; } = [];
    public IReadOnlyList<Target> Refusing { get; private set; } = [];
    public IReadOnlyList<Target> Timeout { get; private set; } = [];

    public long Accepted => Interlocked.Read(ref accepted);
    public long OpenConnections => Interlocked.Read(ref open);
    public long PeakOpenConnections { get; private set; }

    /// <summary>Hosts per kind in proportion to the checks of that kind (at least one where there are checks).</summary>
    public static async Task<TargetFarm> StartAsync(int answeringHosts, int refusingHosts, int timeoutHosts, CancellationToken cancellationToken)
    {
        var farm = new TargetFarm();
        try
        {
            farm.Answering = Enumerable.Range(0, answeringHosts).Select(i => farm.Listen(Address(77, i))).ToList();
            farm.Refusing = Enumerable.Range(0, refusingHosts).Select(i => new Target(TargetKind.Refusing, Address(78, i), 9)).ToList();
            var timeouts = new Target[timeoutHosts];
            await Parallel.ForEachAsync(Enumerable.Range(0, timeoutHosts), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
                async (i, ct) => timeouts[i] = await farm.BlackholeAsync(Address(79, i), ct));
            farm.Timeout = timeouts;
            await farm.VerifyAsync(cancellationToken);
            return farm;
        }
        catch
        {
            await farm.DisposeAsync();
            throw;
        }
    }

    private static IPAddress Address(byte second, int index) =>
        new([127, second, (byte)(index / 250), (byte)(index % 250 + 1)]);

    private Target Listen(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (sockets)
        {
            sockets.Add(socket);
        }

        socket.Bind(new IPEndPoint(address, 0));
        socket.Listen(4096);
        loops.Add(Task.Run(() => AcceptLoopAsync(socket)));
        return new Target(TargetKind.Answering, address, ((IPEndPoint)socket.LocalEndPoint!).Port);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            Interlocked.Increment(ref accepted);
            var now = Interlocked.Increment(ref open);
            if (now > PeakOpenConnections)
            {
                PeakOpenConnections = now;
            }

            _ = HoldAsync(client);
        }
    }

    /// <summary>Keeps the connection until the prober closes it (or a minute passes), reading and dropping anything sent.</summary>
    private async Task HoldAsync(Socket client)
    {
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            limit.CancelAfter(TimeSpan.FromMinutes(1));
            while (await client.ReceiveAsync(Discard, SocketFlags.None, limit.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref open);
        }
    }

    private async Task<Target> BlackholeAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (sockets)
        {
            sockets.Add(server);
        }

        server.Bind(new IPEndPoint(address, 0));
        server.Listen(0);
        var endpoint = (IPEndPoint)server.LocalEndPoint!;
        for (var i = 0; i < 16; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            lock (sockets)
            {
                sockets.Add(filler);
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(endpoint, wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new Target(TargetKind.Timeout, address, endpoint.Port); // this connect hung: the queue is full
            }
        }

        throw new InvalidOperationException($"Could not fill the accept queue of {endpoint}; connects to it would not time out.");
    }

    /// <summary>One connect to the first target of each kind behaves as that kind should.</summary>
    private async Task VerifyAsync(CancellationToken cancellationToken)
    {
        async Task<string> TryAsync(Target target)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(1.5));
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target.Address, target.Port), wait.Token);
                return "connected";
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return "refused";
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return "timed out";
            }
        }

        foreach (var (list, expected) in new[] { (Answering, "connected"), (Refusing, "refused"), (Timeout, "timed out") })
        {
            if (list.Count > 0 && await TryAsync(list[0]) is var got && got != expected)
            {
                throw new InvalidOperationException($"Target {list[0].Address}:{list[0].Port} should have {expected} but {got}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        lock (sockets)
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }

        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }
}
