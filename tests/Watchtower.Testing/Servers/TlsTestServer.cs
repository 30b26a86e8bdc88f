using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Watchtower.Testing.Servers;

/// <summary>
/// A real TLS server on 127.0.0.1 that presents a given certificate and sends exactly the chain
/// the test chooses (so "intermediate not sent" can be produced), then closes.
/// </summary>
public sealed class TlsTestServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public TlsTestServer(X509Certificate2 certificate, params X509Certificate2[] chainToSend)
    {
        var context = SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(chainToSend), offline: true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = RunAsync(context);
    }

    public int Port { get; }

    private async Task RunAsync(SslStreamCertificateContext context)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        await using var tls = new SslStream(client.GetStream());
                        try
                        {
                            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = context }, stop.Token);
                            _ = await tls.ReadAsync(new byte[1], stop.Token); // hold until the client closes
                        }
                        catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
                        {
                        }
                    }
                });
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
        stop.Dispose();
    }
}
