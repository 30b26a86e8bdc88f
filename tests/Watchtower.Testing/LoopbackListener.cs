using System.Net;
using System.Net.Sockets;

namespace Watchtower.Testing;

/// <summary>A TCP listener on 127.0.0.1 that accepts and holds connections until stopped.</summary>
public sealed class LoopbackListener : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task acceptLoop;
    private int accepted;

    public LoopbackListener()
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
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
