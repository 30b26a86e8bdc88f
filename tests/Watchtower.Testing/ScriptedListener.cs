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
    /// <summary>Send the given bytes, then close cleanly (FIN).</summary>
    SayThenClose,
    /// <summary>Send back every byte received, until the client closes.</summary>
    Echo,
}

/// <summary>A misbehaving service on 127.0.0.1 for fault tests: silent, talking garbage, closing or resetting.</summary>
public sealed class ScriptedListener : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> held = [];
    private readonly List<Task> echoes = [];
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
                    case ListenerScript.SayThenClose:
                        await socket.SendAsync(say, stop.Token);
                        socket.Shutdown(SocketShutdown.Both);
                        socket.Dispose();
                        break;
                    case ListenerScript.Echo:
                        held.Add(socket);
                        echoes.Add(EchoAsync(socket, stop.Token));
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

    private static async Task EchoAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, cancellationToken)) > 0)
            {
                await socket.SendAsync(buffer.AsMemory(0, read), cancellationToken);
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

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        foreach (var socket in held)
        {
            socket.Dispose();
        }

        await Task.WhenAll(echoes);
        stop.Dispose();
    }
}
