using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Watchtower.Testing.Servers;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (HTTP, and HTTPS with a certificate and chain of the
/// test's choosing) serving the statuses, redirects, bodies and pages the HTTP and SEO tests need.
/// Extra routes can be added by the test.
/// </summary>
public sealed class TestWebServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedRequest> received;

    private TestWebServer(WebApplication app, ConcurrentQueue<ReceivedRequest> received, string http, string? https)
    {
        this.app = app;
        this.received = received;
        HttpBase = http;
        HttpsBase = https;
    }

    /// <summary>One request as the server received it: method, path and query, headers and body.</summary>
    public sealed record ReceivedRequest(string Method, string PathAndQuery, string? ContentType, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>Every request received, in order, so a test can assert what actually arrived.</summary>
    public IReadOnlyList<ReceivedRequest> Received => [.. received];

    public string HttpBase { get; }

    public string? HttpsBase { get; }

    public static async Task<TestWebServer> StartAsync(X509Certificate2? certificate = null, X509Certificate2[]? chain = null,
        Action<WebApplication>? routes = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            if (certificate is not null)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    https.ServerCertificateChain = chain is null ? null : new X509Certificate2Collection(chain);
                }));
            }
        });
        var app = builder.Build();
        var received = new ConcurrentQueue<ReceivedRequest>();
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using (var reader = new StreamReader(context.Request.Body, leaveOpen: true))
            {
                var body = await reader.ReadToEndAsync(context.RequestAborted);
                received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.ContentType,
                    context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
            }

            context.Request.Body.Position = 0;
            await next(context);
        });
        string[] getAndHead = ["GET", "HEAD"];
        string[] anyMethod = ["GET", "HEAD", "POST", "PUT"];
        app.MapMethods("/ok", getAndHead, () => Results.Text("hello watchtower, all is well", "text/plain"));
        app.MapMethods("/status/{code:int}", getAndHead, (int code) => Results.Text($"status {code}", "text/plain", statusCode: code));
        app.MapMethods("/redirect/{hops:int}", getAndHead, (int hops) => Results.Redirect(hops <= 1 ? "/ok" : $"/redirect/{hops - 1}"));
        app.MapMethods("/loop", getAndHead, () => Results.Redirect("/loop"));
        app.MapMethods("/to", getAndHead, (string url) => Results.Redirect(url));
        app.MapMethods("/slow", getAndHead, async (int ms) =>
        {
            await Task.Delay(ms);
            return Results.Text("finally", "text/plain");
        });
        // Answers the status with a Location for any method, to see what the client does next.
        app.MapMethods("/redirect-with/{code:int}", anyMethod, (int code, string to, HttpResponse response) =>
        {
            response.StatusCode = code;
            response.Headers.Location = to;
        });
        // A big body, streamed: a marker, then filler up to the size, then another marker; "hang" then holds the response open.
        app.MapMethods("/big", getAndHead, async (int mb, bool? hang, HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("begin-marker\n", context.RequestAborted);
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            for (long sent = 0; sent < mb * 1024L * 1024; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }

            await context.Response.WriteAsync("\nend-marker", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (hang == true)
            {
                await HoldAsync(context.RequestAborted);
            }
        });
        // Never answers; ends when the client goes away.
        app.MapMethods("/hang", getAndHead, async (HttpContext context) => await HoldAsync(context.RequestAborted));
        app.MapMethods("/echo", ["GET", "POST"], async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            return Results.Text($"method={request.Method} probe={request.Headers["X-Probe"]} type={request.ContentType} body={body}", "text/plain");
        });
        routes?.Invoke(app);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        var http = addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal));
        var https = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.Ordinal));
        return new TestWebServer(app, received, http.TrimEnd('/'), https?.TrimEnd('/'));
    }

    private static async Task HoldAsync(CancellationToken aborted)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, aborted);
        }
        catch (OperationCanceledException)
        {
            // The client went away: that is the only way this ends.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
