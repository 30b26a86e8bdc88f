using System.Net;
using System.Net.Sockets;

namespace Watchtower.Testing;

/// <summary>How a <see cref="ScriptedListener"/> treats each connection.</summary>
public enum ListenerScript
{
    /// <summary>Accept and never say anything.</summary>
    Silent,
    /// <summary>Send the given bytes, then wait.</summary>
    Say,
    /// <summary>Close at once, cleanly (FIN).</summary>
    Close,
    /// <summary>Abort at once (RST).</summary>
    Reset,
}

/// <summary>A misbehaving service on 127.0.0.1 for fault tests: silent, talking garbage, closing or resetting.</summary>
public sealed class ScriptedListener : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> held = [];
    private readonly Task loop;

    public ScriptedListener(ListenerScript script, byte[]? say = null)
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = RunAsync(script, say ?? []);
    }

    public int Port { get; }

    private async Task RunAsync(ListenerScript script, byte[] say)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var socket = await listener.AcceptSocketAsync(stop.Token);
                switch (script)
                {
                    case ListenerScript.Close:
                        socket.Shutdown(SocketShutdown.Both);
                        socket.Dispose();
                        break;
                    case ListenerScript.Reset:
                        socket.LingerState = new LingerOption(true, 0);
                        socket.Dispose();
                        break;
                    case ListenerScript.Say:
                        await socket.SendAsync(say, stop.Token);
                        held.Add(socket);
                        break;
                    default:
                        held.Add(socket);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        foreach (var socket in held)
        {
            socket.Dispose();
        }

        stop.Dispose();
    }
}
