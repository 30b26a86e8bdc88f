using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Hardening;

/// <summary>
/// X-Forwarded-For is believed only from configured proxies. Observed through what it decides: the
/// address the audit log writes for a sign-in, and the sign-in rate limiter's bucket. Every app here
/// listens on a real socket (Kestrel on 127.0.0.1): the in-memory test server has no peer address,
/// and the forwarded-headers middleware believes any header when the peer is unknown, which would
/// make these tests pass whatever the configuration.
/// </summary>
public sealed class ForwardedHeadersHardeningTests
{
    private const string Spoofed = "203.0.113.9";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// ASP.NET Core's own defaults, which Watchtower does not keep: they trust 127.0.0.0/8 and ::1, so a
    /// process on the same machine (or anything a local port forward lets in) could set the client address.
    /// </summary>
    [Fact]
    public void AspNet_trusts_loopback_by_default()
    {
        var defaults = new ForwardedHeadersOptions();

        Assert.Equal([IPAddress.IPv6Loopback], defaults.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("127.0.0.0/8")], defaults.KnownIPNetworks);
        Assert.Equal(1, defaults.ForwardLimit);
    }

    [Theory]
    [InlineData(null, null, "127.0.0.1", false)]
    [InlineData("Watchtower:KnownProxies:0", "10.9.9.9", "127.0.0.1", false)]
    [InlineData("Watchtower:KnownNetworks:0", "10.0.0.0/8", "127.0.0.1", false)]
    [InlineData("Watchtower:KnownProxies:0", "127.0.0.1", Spoofed, true)]
    [InlineData("Watchtower:KnownNetworks:0", "127.0.0.0/8", Spoofed, true)]
    public async Task The_client_address_comes_from_X_Forwarded_For_only_when_the_peer_is_a_configured_proxy(
        string? key, string? value, string expectedAddress, bool trusted)
    {
        var settings = new Dictionary<string, string?>();
        if (key is not null)
        {
            settings[key] = value;
        }

        await using var app = await WatchtowerApp.CreateAsync(new AppOptions { AuthPostsPerMinute = 5, Settings = settings }, Cancel);
        app.UseKestrel(0);
        app.StartServer();
        using var browser = new SocketClient(app.ClientOptions.BaseAddress);
        var email = OwnerClient.NewEmail();

        // Sign-up, then sign-in: two of the five account posts a minute, both "from" the spoofed address.
        Assert.Equal(HttpStatusCode.Redirect, await browser.PostAsync("/Account/Register", Spoofed,
            new() { ["Input.Email"] = email, ["Input.Password"] = OwnerClient.DefaultPassword, ["Input.ConfirmPassword"] = OwnerClient.DefaultPassword }));
        Assert.Equal(HttpStatusCode.Redirect, await browser.PostAsync("/Account/Login", Spoofed,
            new() { ["Input.Email"] = email, ["Input.Password"] = OwnerClient.DefaultPassword }));

        await using (var scope = app.CreateScope(out var db))
        {
            var signIn = await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == "user.signed-in" && e.Actor == email, Cancel);
            Assert.Equal(expectedAddress, signIn.ClientAddress);
        }

        // Four more posts (from a signed-out client), each claiming another address: one bucket
        // (127.0.0.1, now at 6 of 5) unless the proxy is trusted.
        using var stranger = new SocketClient(app.ClientOptions.BaseAddress);
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 4; i++)
        {
            statuses.Add(await stranger.PostAsync("/Account/Login", $"198.51.100.{i}",
                new() { ["Input.Email"] = "nobody@example.com", ["Input.Password"] = "wrong password!" }));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, trusted ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>What the middleware is given: exactly the configured proxies, and nothing at all (switched off) when none are.</summary>
    [Fact]
    public async Task The_middleware_trusts_exactly_the_configured_proxies_and_is_off_without_any()
    {
        await using (var bare = await WatchtowerApp.CreateAsync(new AppOptions(), Cancel))
        {
            var options = bare.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
            Assert.Equal(ForwardedHeaders.None, options.ForwardedHeaders);
            Assert.Empty(options.KnownProxies);
            Assert.Empty(options.KnownIPNetworks);
        }

        await using var configured = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?>
            {
                ["Watchtower:KnownProxies:0"] = "10.0.0.5", ["Watchtower:KnownProxies:1"] = "fd00::5",
                ["Watchtower:KnownNetworks:0"] = "172.28.1.0/24", ["Watchtower:KnownNetworks:1"] = " fd00:1::/64 ",
            },
        }, Cancel);
        var forwarded = configured.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        Assert.Equal(ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, forwarded.ForwardedHeaders);
        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.Parse("fd00::5")], forwarded.KnownProxies);
        Assert.Equal([System.Net.IPNetwork.Parse("172.28.1.0/24"), System.Net.IPNetwork.Parse("fd00:1::/64")], forwarded.KnownIPNetworks);
        Assert.Equal(Watchtower.Web.Infrastructure.ProxyOptions.ForwardLimit, forwarded.ForwardLimit);
    }

    [Theory]
    [InlineData("Watchtower:KnownProxies:0", "10.0.0.300", "Watchtower:KnownProxies:0 is “10.0.0.300”, which is not an IP address")]
    [InlineData("Watchtower:KnownProxies:0", "10.1", "Watchtower:KnownProxies:0 is “10.1”, which is not an IP address")]
    [InlineData("Watchtower:KnownProxies:0", "010.0.0.1", "Watchtower:KnownProxies:0 is “010.0.0.1”, which is not an IP address")]
    [InlineData("Watchtower:KnownProxies:0", "proxy.example.com", "Watchtower:KnownProxies:0 is “proxy.example.com”, which is not an IP address")]
    [InlineData("Watchtower:KnownNetworks:0", "10.0.0.0/33", "Watchtower:KnownNetworks:0 is “10.0.0.0/33”, which is not a network in CIDR notation")]
    [InlineData("Watchtower:KnownNetworks:0", "10.0.0.0", "Watchtower:KnownNetworks:0 is “10.0.0.0”, which is not a network in CIDR notation")]
    [InlineData("Watchtower:KnownNetworks:0", "10.0.0.0/-8", "Watchtower:KnownNetworks:0 is “10.0.0.0/-8”, which is not a network in CIDR notation")]
    [InlineData("Watchtower:KnownProxies", "10.0.0.1", "Watchtower:KnownProxies is a list: set Watchtower:KnownProxies:0")]
    [InlineData("Watchtower:KnownNetworks", "10.0.0.0/8", "Watchtower:KnownNetworks is a list: set Watchtower:KnownNetworks:0")]
    public async Task A_malformed_proxy_entry_stops_the_start_naming_the_setting(string key, string value, string message)
    {
        // The host logs its failed start as an error; expected here.
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Fatal", [key] = value },
        }, Cancel);

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

    /// <summary>
    /// A client over a real socket that, like a browser's form post, keeps cookies and does not follow
    /// redirects (the factory's own client follows them once Kestrel serves), and sends X-Forwarded-For
    /// as a client — or a proxy — would.
    /// </summary>
    private sealed class SocketClient(Uri baseAddress) : IDisposable
    {
        private readonly HttpClient http = new(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = baseAddress,
        };

        /// <summary>Gets the page for its antiforgery token, then posts the fields with the header; returns the status.</summary>
        public async Task<HttpStatusCode> PostAsync(string path, string forwardedFor, Dictionary<string, string> fields)
        {
            var html = await http.GetStringAsync(new Uri(path, UriKind.Relative), Cancel);
            var token = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html)
                .QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? throw new InvalidOperationException($"No form on {path}");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }),
            };
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await http.SendAsync(request, Cancel);
            return response.StatusCode;
        }

        public void Dispose() => http.Dispose();
    }
}
