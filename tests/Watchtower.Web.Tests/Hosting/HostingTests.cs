using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Hosting;

/// <summary>What the host sends and refuses: no Server header, HSTS for a year in Production, settings checked at start-up.</summary>
public sealed class HostingTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kestrel_sends_no_server_header()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions(), Cancel);
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(response.Headers.Server);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Production_sends_hsts_for_a_year_over_https()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Environment = "Production",
            Settings = new Dictionary<string, string?> { ["Watchtower:PublicBaseUrl"] = "https://status.example.com" },
        }, Cancel);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://status.example.com/") });

        using var response = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task Development_sends_no_hsts()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions(), Cancel);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://status.example.com/") });

        using var response = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative), Cancel);

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("Production", null, null, "Set Watchtower:PublicBaseUrl")]
    [InlineData("Development", "Watchtower:Email:Host", "smtp.example.com", "Watchtower:Email:FromAddress is required")]
    [InlineData("Development", "Watchtower:Email:Security", "Sometimes", "Watchtower:Email")]
    [InlineData("Development", "Watchtower:Accounts:FreeSignInAttempts", "0", "FreeSignInAttempts")]
    [InlineData("Development", "Watchtower:Retention:ResultDays", "0", "Watchtower:Retention:ResultDays must be from 1 to 3650")]
    [InlineData("Development", "Watchtower:Retention:ResultDays", "a month", "Watchtower:Retention:ResultDays")]
    public async Task Bad_settings_stop_the_start_with_a_message(string environment, string? key, string? value, string message)
    {
        // The host logs its failed start as an error; expected here.
        var settings = new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Fatal" };
        if (key is not null)
        {
            settings[key] = value;
        }

        await using var app = await WatchtowerApp.CreateAsync(new AppOptions { Environment = environment, Settings = settings }, Cancel);

        var error = Record.Exception(() => app.Services);

        Assert.NotNull(error);
        var all = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains(message, all, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }
}
