using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Probes.Tests.Egress;

/// <summary>
/// One vector's loopback targets, on a port P of their own: the trap at 127.0.0.2:P (TCP and UDP),
/// which the guard refuses when private targets are off, and home at 127.0.0.1:P, which the suite's
/// operator names in AllowedAddresses. A name that resolves to 0.0.0.0 would land on home.
/// </summary>
internal sealed class SsrfLab : IAsyncDisposable
{
    public static readonly IPAddress TrapAddress = IPAddress.Parse("127.0.0.2");

    private SsrfLab(LoopbackListener trap, HomeListener home, UdpTrap udp, SsrfSite site)
    {
        Trap = trap;
        Home = home;
        Udp = udp;
        Site = site;
    }

    public LoopbackListener Trap { get; }

    public HomeListener Home { get; }

    public UdpTrap Udp { get; }

    public SsrfSite Site { get; }

    /// <summary>The port of the trap and of home.</summary>
    public int P => Trap.Port;

    /// <summary>The lab's web server (127.0.0.1, named by the suite's operator).</summary>
    public string Web => Site.Server.HttpBase;

    /// <summary>A redirect from the lab's web server to <paramref name="target"/>.</summary>
    public string RedirectTo(string target, int status = 302) => status == 302
        ? $"{Web}/to?url={Uri.EscapeDataString(target)}"
        : $"{Web}/redirect-with/{status}?to={Uri.EscapeDataString(target)}";

    /// <summary>An SEO page on the lab's web server whose robots.txt and sitemap play <paramref name="scenario"/>.</summary>
    public string Seo(string scenario) => $"http://{scenario}.p{P}{LabResolver.SeoSuffix}:{Site.Port}/seo";

    public static async Task<SsrfLab> StartAsync(SsrfSite site)
    {
        for (var attempt = 1; ; attempt++)
        {
            var trap = new LoopbackListener(TrapAddress, 0);
            try
            {
                return new SsrfLab(trap, new HomeListener(trap.Port), new UdpTrap(new IPEndPoint(TrapAddress, trap.Port)), site);
            }
            catch (SocketException) when (attempt < 5)
            {
                await trap.DisposeAsync(); // the port is taken on 127.0.0.1 (TCP) or 127.0.0.2 (UDP): another one
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Trap.DisposeAsync();
        await Home.DisposeAsync();
        await Udp.DisposeAsync();
    }
}

/// <summary>
/// Home, the address a rebinding name answers first: counts connections and answers each with a
/// small HTTP 200, so an HTTP check makes exactly one connection (a close without an answer would
/// make HttpClient retry on new connections, each resolved and checked again).
/// </summary>
internal sealed class HomeListener : IAsyncDisposable
{
    private static readonly byte[] Answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\nhome"u8.ToArray();
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int accepted;

    public HomeListener(int port)
    {
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        loop = AcceptAsync();
    }

    public int Accepted => Volatile.Read(ref accepted);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(stop.Token);
                Interlocked.Increment(ref accepted);
                _ = AnswerAsync(socket);
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
        catch (InvalidOperationException) when (stop.IsCancellationRequested)
        {
            // Stopped between an accept and the next: "Not listening".
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                using var read = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                read.CancelAfter(TimeSpan.FromSeconds(1));
                var buffer = new byte[4096];
                var seen = "";
                while (!seen.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await socket.ReceiveAsync(buffer, read.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    seen += System.Text.Encoding.Latin1.GetString(buffer, 0, n);
                }

                await socket.SendAsync(Answer, stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await loop;
        listener.Dispose();
        stop.Dispose();
    }
}

/// <summary>A UDP socket that counts the datagrams it receives (a DNS query sent to it).</summary>
internal sealed class UdpTrap : IAsyncDisposable
{
    private readonly UdpClient client;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int received;

    public UdpTrap(IPEndPoint endpoint)
    {
        client = new UdpClient(endpoint);
        loop = ReceiveAsync();
    }

    public int Received => Volatile.Read(ref received);

    private async Task ReceiveAsync()
    {
        try
        {
            while (true)
            {
                await client.ReceiveAsync(stop.Token);
                Interlocked.Increment(ref received);
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
        client.Dispose();
        await loop;
        stop.Dispose();
    }
}

/// <summary>
/// The lab's web server: Kestrel on 127.0.0.1 with the HTTP tests' redirects, plus an SEO site
/// whose robots.txt and sitemap depend on the host name it is asked for
/// ("{scenario}.p{port}.seo.lab.test"), so one server plays every SEO vector.
/// </summary>
public sealed class SsrfSite : IAsyncLifetime
{
    private TestWebServer? server;

    internal TestWebServer Server => server ?? throw new InvalidOperationException("Not started.");

    internal int Port => new Uri(Server.HttpBase).Port;

    public async ValueTask InitializeAsync()
    {
        _ = DialLog.Instance; // listening before the first vector dials
        server = await TestWebServer.StartAsync(routes: app =>
        {
            app.MapGet("/seo", () => Results.Content(
                "<!doctype html><html lang=\"en\"><head><title>Watchtower SSRF lab page</title><meta name=\"description\" content=\"lab\">" +
                "<link rel=\"canonical\" href=\"/seo\"></head><body><h1>Lab</h1></body></html>", "text/html"));
            app.MapGet("/robots.txt", (HttpContext context) => Robots(context));
            app.MapGet("/sitemap.xml", (HttpContext context) => Sitemap(context));
        });
    }

    private static (string Scenario, string Trap) Read(HttpContext context)
    {
        var labels = context.Request.Host.Host.Split('.');
        return (labels[0], $"{SsrfLab.TrapAddress}:{labels[1][1..]}");
    }

    private static IResult Robots(HttpContext context)
    {
        var (scenario, trap) = Read(context);
        var self = $"http://{context.Request.Host}";
        string? sitemap = scenario switch
        {
            "sitemap-metadata" => "http://169.254.169.254/latest/meta-data/",
            "sitemap-wireserver" => "http://168.63.129.16/machine?comp=goalstate",
            "sitemap-name" => "http://metadata.google.internal/computeMetadata/v1/",
            "sitemap-redirect" => $"{self}/to?url={Uri.EscapeDataString("http://169.254.170.2/v2/credentials")}",
            "sitemap-trap" => $"http://{trap}/sitemap.xml",
            "robots-redirect-metadata" => null,
            "robots-redirect-trap" => null,
            _ => $"{self}/sitemap.xml",
        };
        return scenario switch
        {
            "robots-redirect-metadata" => Results.Redirect("http://169.254.169.254/robots.txt"),
            "robots-redirect-trap" => Results.Redirect($"http://{trap}/robots.txt"),
            _ => Results.Text($"User-agent: *\nAllow: /\nSitemap: {sitemap}\n", "text/plain"),
        };
    }

    private static IResult Sitemap(HttpContext context)
    {
        var (scenario, trap) = Read(context);
        var location = scenario switch
        {
            "loc-metadata" => "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "loc-decimal" => "http://2852039166/latest/meta-data/",
            "loc-mapped" => "http://[::ffff:a9fe:a9fe]/latest/meta-data/",
            "loc-nat64" => "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
            "loc-name" => "http://ecs.lab.test/v2/credentials",
            "loc-trap" => $"http://{trap}/page",
            _ => $"http://{context.Request.Host}/seo",
        };
        return Results.Text($"<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>{location}</loc></url></urlset>",
            "application/xml");
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
