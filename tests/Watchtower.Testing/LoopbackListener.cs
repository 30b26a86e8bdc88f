using System.Net;
using System.Net.Sockets;

namespace Watchtower.Testing;

/// <summary>A TCP listener on 127.0.0.1 (or another loopback address) that accepts and holds connections until stopped.</summary>
public sealed class LoopbackListener : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task acceptLoop;
    private int accepted;

    public LoopbackListener()
        : this(IPAddress.Loopback, 0)
    {
    }

    /// <summary>
    /// Listens on a given loopback address and port, e.g. 127.0.0.2 on the port of a listener on
    /// 127.0.0.1, so that one host name can resolve to two loopback addresses that behave differently.
    /// </summary>
    public LoopbackListener(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"{address} is not a loopback address; test servers stay on this machine.", nameof(address));
        }

        listener = new TcpListener(address, port);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref accepted);

    private async Task AcceptAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref accepted);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Stops listening: from now on connections to the port are refused.</summary>
    public async Task StopAsync()
    {
        if (stop.IsCancellationRequested)
        {
            return;
        }

        await stop.CancelAsync();
        listener.Stop();
        await acceptLoop;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        listener.Dispose();
        stop.Dispose();
    }
}
