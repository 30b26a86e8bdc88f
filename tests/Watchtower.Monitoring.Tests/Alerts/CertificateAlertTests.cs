using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Alerts;
using Watchtower.Monitoring.Engine;
using Watchtower.Monitoring.Tests.Engine;
using Watchtower.Probes;
using Watchtower.Probes.Http;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tls;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Monitoring.Tests.Alerts;

/// <summary>
/// Certificate-expiry alerts from real runs: SSL, TCP over TLS and HTTPS checks against local TLS
/// servers presenting certificates made here (trusted through the probes' trusted roots). One event
/// per check and certificate, however many runs see it, across an outage; a new certificate in
/// the window is a new event; a certificate outside it is none.
/// </summary>
public sealed class CertificateAlertTests : EngineTestBase
{
    private readonly TestCertificates certificates = new();

    protected override TestStore Store => TestStore.Postgres;

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Watchtower:Alerts:RunDispatcher"] = "false" };

    protected override Action<IServiceCollection>? ConfigureServices => services => services.Configure<TlsOptions>(o => o.TrustedRoots.Add(certificates.Authority));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task RunAsync(params int[] ids) => await App.Services.GetRequiredService<ProbeEngine>().RunNowAsync(ids, Ct);

    private async Task<int> AddAsync(string name, IKindSettings settings)
    {
        await using var scope = App.CreateScope(out var db);
        var now = DateTimeOffset.UtcNow;
        var check = new Check
        {
            TeamId = TeamId, Name = name, Settings = settings, IntervalSeconds = 3600, TimeoutSeconds = 10, Enabled = true,
            State = CheckState.Pending, NextRunAt = now.AddHours(1), CreatedAt = now, FailureThreshold = 1,
        };
        db.Checks.Add(check);
        await db.SaveChangesAsync(Ct);
        return check.Id;
    }

    private static SslSettings Ssl(int port) => new() { Host = "127.0.0.1", Port = port, ServerName = "localhost" };

    private Task<List<AlertEvent>> CertificateEventsAsync(int checkId) =>
        QueryAsync(db => db.AlertEvents.Where(e => e.CheckId == checkId && e.Type == AlertEventType.CertificateExpiring).OrderBy(e => e.Id));

    [Fact]
    public async Task A_certificate_entering_its_warning_window_is_told_once_per_check_and_certificate_for_ssl_tcp_and_https_checks()
    {
        using var _certificates = certificates;
        var soon = certificates.Leaf(notAfter: DateTimeOffset.UtcNow.AddDays(10).AddHours(1));
        var tlsServer = new TlsTestServer(soon, certificates.Intermediate);
        var tlsServerStopped = false;
        await using var _tlsServer = new AsyncCallback(async () =>
        {
            if (!tlsServerStopped)
            {
                await tlsServer.DisposeAsync();
            }
        });
        await using var web = await TestWebServer.StartAsync(soon, [certificates.Intermediate]);
        var ssl = await AddAsync("Certificate", Ssl(tlsServer.Port));
        var tcp = await AddAsync("IMAP over TLS", new TcpSettings { Host = "127.0.0.1", Port = tlsServer.Port, Service = TcpService.Custom, ImplicitTls = true, CertificateName = "localhost" });
        var https = await AddAsync("Website", new HttpSettings { Url = web.HttpsBase!.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/ok" });
        var channel = await AlertWorld.AddChannelAsync(App, TeamId, ssl, tcp, https);

        // Three runs in the window: each check degraded, one event each.
        for (var i = 0; i < 3; i++)
        {
            await RunAsync(ssl, tcp, https);
        }

        foreach (var id in new[] { ssl, tcp, https })
        {
            var check = await ReloadAsync(id);
            Assert.True(check.State == CheckState.Degraded && check.LastReason == FailureReason.CertificateExpiring, $"{check.Name}: {check.State} {check.LastReason} {check.LastMessage}");
            var alert = Assert.Single(await CertificateEventsAsync(id));
            Assert.Equal($"check:{id}:CertificateExpiring:{soon.Thumbprint}", alert.Key);
            Assert.Equal("The TLS certificate for localhost expires in 10 days (" + soon.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "). Renew it before then.", alert.Message);
            Assert.Equal(CheckState.Degraded, alert.State);
            var delivery = Assert.Single(await QueryAsync(db => db.AlertDeliveries.Where(d => d.EventId == alert.Id)));
            Assert.Equal((channel, DeliveryStatus.Pending), (delivery.ChannelId, delivery.Status));
            Assert.Equal($"{check.Name}: the certificate expires soon", AlertMessage.For(alert, null).Title);
        }

        // An outage of the SSL check's server, then the same certificate again (on a new port): down, up, no new certificate event.
        await tlsServer.DisposeAsync();
        tlsServerStopped = true;
        await RunAsync(ssl);
        Assert.Equal(CheckState.Down, (await ReloadAsync(ssl)).State);
        await using var same = new TlsTestServer(soon, certificates.Intermediate);
        await ChangeAsync(ssl, c => c.Settings = Ssl(same.Port));
        await RunAsync(ssl);
        await RunAsync(ssl);
        Assert.Equal(CheckState.Degraded, (await ReloadAsync(ssl)).State);
        Assert.Single(await CertificateEventsAsync(ssl));

        // A renewed certificate, still within the window: a new event, once.
        var renewedSoon = certificates.Leaf(notAfter: DateTimeOffset.UtcNow.AddDays(12).AddHours(1));
        await using var second = new TlsTestServer(renewedSoon, certificates.Intermediate);
        await ChangeAsync(ssl, c => c.Settings = Ssl(second.Port));
        await RunAsync(ssl);
        await RunAsync(ssl);
        var events = await CertificateEventsAsync(ssl);
        Assert.Equal(2, events.Count);
        Assert.Equal($"check:{ssl}:CertificateExpiring:{renewedSoon.Thumbprint}", events[1].Key);
        Assert.Contains("expires in 12 days", events[1].Message, StringComparison.Ordinal);

        // A certificate outside the window: up, nothing told; and back to one already told: nothing either.
        var renewed = certificates.Leaf(notAfter: DateTimeOffset.UtcNow.AddDays(90));
        await using var third = new TlsTestServer(renewed, certificates.Intermediate);
        await ChangeAsync(ssl, c => c.Settings = Ssl(third.Port));
        await RunAsync(ssl);
        Assert.Equal(CheckState.Up, (await ReloadAsync(ssl)).State);
        await ChangeAsync(ssl, c => c.Settings = Ssl(second.Port));
        await RunAsync(ssl);
        Assert.Equal(2, (await CertificateEventsAsync(ssl)).Count);

        // The SSL check's other events are its outage: down and recovered, never a certificate event keyed by moment.
        var all = await QueryAsync(db => db.AlertEvents.Where(e => e.CheckId == ssl).Select(e => e.Type));
        Assert.Equal(2, all.Count(t => t == AlertEventType.CertificateExpiring));
        Assert.Contains(AlertEventType.CheckDown, all);
        Assert.Contains(AlertEventType.CheckRecovered, all);
    }

    [Fact]
    public async Task An_ssl_check_past_its_critical_days_is_down_and_still_gets_one_certificate_event()
    {
        using var _certificates = certificates;
        var critical = certificates.Leaf(notAfter: DateTimeOffset.UtcNow.AddDays(2).AddHours(1));
        await using var server = new TlsTestServer(critical, certificates.Intermediate);
        var ssl = await AddAsync("Certificate", Ssl(server.Port));
        await AlertWorld.AddChannelAsync(App, TeamId, ssl);

        await RunAsync(ssl);
        await RunAsync(ssl);

        var check = await ReloadAsync(ssl);
        Assert.Equal((CheckState.Down, FailureReason.CertificateExpiring), (check.State, check.LastReason));
        Assert.Contains("expires in 2 days", Assert.Single(await CertificateEventsAsync(ssl)).Message, StringComparison.Ordinal);
        Assert.Single(await QueryAsync(db => db.AlertEvents.Where(e => e.CheckId == ssl && e.Type == AlertEventType.CheckDown)));
    }

    /// <summary>Runs a callback when disposed (a server the test stops itself part-way, else at the end).</summary>
    private sealed class AsyncCallback(Func<Task> callback) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await callback();
    }
}
