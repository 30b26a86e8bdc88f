using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Watchtower.Testing.Servers;

/// <summary>
/// A real TLS server on 127.0.0.1 that presents a given certificate and sends exactly the chain
/// the test chooses (so "intermediate not sent" can be produced), optionally sends a greeting (the
/// shape of IMAPS, POP3S and SMTPS), and holds the connection until the client closes.
/// </summary>
public sealed class TlsTestServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public TlsTestServer(X509Certificate2 certificate, params X509Certificate2[] chainToSend)
        : this(greeting: null, certificate, chainToSend)
    {
    }

    public TlsTestServer(string? greeting, X509Certificate2 certificate, params X509Certificate2[] chainToSend)
    {
        var context = SslStreamCertificateContext.Create(certificate, new X509Certificate2Collection(chainToSend), offline: true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = RunAsync(context, greeting is null ? [] : System.Text.Encoding.ASCII.GetBytes(greeting));
    }

    public int Port { get; }

    private async Task RunAsync(SslStreamCertificateContext context, byte[] greeting)
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
                            if (greeting.Length > 0)
                            {
                                await tls.WriteAsync(greeting, stop.Token);
                            }

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
