using System.Net;
using System.Net.Sockets;

namespace Watchtower.Testing;

/// <summary>
/// A listener on 127.0.0.1 whose accept queue is full and never drained: Linux then drops new
/// SYNs, so a connect to it times out — a connect timeout produced without leaving this machine.
/// </summary>
public sealed class BlackholeListener : IDisposable
{
    private readonly Socket server;
    private readonly List<Socket> fillers = [];

    public BlackholeListener()
    {
        server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen(0);
        Port = ((IPEndPoint)server.LocalEndPoint!).Port;
        for (var i = 0; i < 16; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(client);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), cts.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return; // this connect hung: the queue is full
            }
        }

        throw new InvalidOperationException("Could not fill the accept queue; connects would not time out.");
    }

    public int Port { get; }

    public void Dispose()
    {
        foreach (var client in fillers)
        {
            client.Dispose();
        }

        server.Dispose();
    }
}
