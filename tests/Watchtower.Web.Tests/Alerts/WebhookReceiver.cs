using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Watchtower.Web.Tests.Alerts;

/// <summary>A real HTTP server on 127.0.0.1 that records every request (headers and raw body) and answers with a chosen status.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;

    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Answered);

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The status to answer with; may be changed while running.</summary>
    public int Status { get; set; } = 200;

    public int Port { get; }

    /// <summary>When set, answers each request with this status and JSON body instead of <see cref="Status"/> and "ok".</summary>
    public Func<Received, (int Status, string Json)>? Respond { get; set; }

    /// <summary>The server's root, for services whose API base is a setting ("http://127.0.0.1:port").</summary>
    public string Base => $"http://127.0.0.1:{Port}";

    public string Url => $"http://127.0.0.1:{Port}/hook";

    private WebhookReceiver(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    /// <summary>Starts on <paramref name="port"/> (0: any free port).</summary>
    public static async Task<WebhookReceiver> StartAsync(int port = 0, int status = 200)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        WebhookReceiver? self = null;
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            var status = self!.Status;
            if (self.Respond is { } respond)
            {
                var (code, json) = respond(new Received(context.Request.Path, headers, body, 0));
                self.Requests.Enqueue(new Received(context.Request.Path, headers, body, code));
                context.Response.StatusCode = code;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(json);
                return;
            }

            self.Requests.Enqueue(new Received(context.Request.Path, headers, body, status));
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status == 200 ? "ok" : "nope");
        });
        await app.StartAsync();
        var bound = new Uri(app.Urls.First()).Port;
        self = new WebhookReceiver(app, bound) { Status = status };
        return self;
    }

    /// <summary>A port nothing listens on (bound, then released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<Received> WaitForAsync(Func<Received, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (Requests.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No matching request; got {Requests.Count}: {string.Join(" | ", Requests.Select(r => r.Body))}");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
