using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Watchtower.Monitoring.Tests.Alerts;

/// <summary>
/// A webhook receiver on 127.0.0.1 that records each request as it arrives (headers, body, time)
/// and, while <see cref="Hold"/> is set, keeps it open without answering — a receiver that is slow
/// exactly when the sender dies.
/// </summary>
internal sealed class HoldingReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public volatile bool Hold;

    public string Url { get; private set; } = "";

    private HoldingReceiver(WebApplication app) => this.app = app;

    public static async Task<HoldingReceiver> StartAsync(bool hold)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var self = new HoldingReceiver(app) { Hold = hold };
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            self.Requests.Enqueue(new Received(context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body, DateTimeOffset.UtcNow));
            if (self.Hold)
            {
                // Until the test lets go or the sender goes away.
                await self.release.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            context.Response.StatusCode = 200;
            await context.Response.WriteAsync("ok");
        });
        await app.StartAsync();
        self.Url = $"http://127.0.0.1:{new Uri(app.Urls.First()).Port}/hook";
        return self;
    }

    public async Task<Received> WaitForAsync(int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Requests.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Requests.Count} requests, waited for {count} within {within.TotalSeconds:0} s");
            }

            await Task.Delay(50);
        }

        return Requests.ElementAt(count - 1);
    }

    public async ValueTask DisposeAsync()
    {
        release.TrySetResult();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
