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

    private TestWebServer(WebApplication app, string http, string? https)
    {
        this.app = app;
        HttpBase = http;
        HttpsBase = https;
    }

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
        string[] getAndHead = ["GET", "HEAD"];
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
        app.MapPost("/echo", async (HttpRequest request) =>
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
        return new TestWebServer(app, http.TrimEnd('/'), https?.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
