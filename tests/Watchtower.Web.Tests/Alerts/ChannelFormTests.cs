using System.Net;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Web.Tests.Alerts;

/// <summary>The channel forms refuse bad input next to the field and store nothing; email goes through a real Exim.</summary>
public sealed class ChannelFormTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<int> ChannelCountAsync(WatchtowerApp app)
    {
        await using var scope = app.CreateScope(out var db);
        return await db.NotificationChannels.CountAsync(Ct);
    }

    [Theory]
    [InlineData("not-an-address", "Not an email address: not-an-address")]
    [InlineData("ops@example.com\nbob@", "Not an email address: bob@")]
    [InlineData("Ops <ops@example.com>", "Not an email address")]
    [InlineData("", "Enter at least one email address")]
    public async Task Invalid_email_addresses_are_refused_next_to_the_field(string addresses, string message)
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions(), Ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var page = await owner.PostFormAsync("/Alerts/Create", new() { ["Input.Kind"] = "Email", ["Input.Name"] = "Ops", ["Input.Addresses"] = addresses });
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(message, page.Text("#Input_Addresses-error"), StringComparison.Ordinal);
        Assert.Equal("Input_Addresses-error", page.Document.QuerySelector("#Input_Addresses")!.GetAttribute("aria-describedby")!.Split(' ')[^1]);
        Assert.Equal(0, await ChannelCountAsync(app));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data", true, "169.254.169.254")] // metadata: refused even with private targets allowed
    [InlineData("http://10.0.0.5/hook", false, "AllowPrivateTargets")]
    [InlineData("http://127.0.0.1:8080/hook", false, "127.0.0.1")]
    [InlineData("http://localhost/hook", false, "localhost resolves to")]
    [InlineData("ftp://example.com/hook", true, "Enter an http:// or https:// URL.")]
    [InlineData("https://user:pw@example.com/hook", true, "Do not put a user name or password in the URL.")]
    public async Task Webhook_urls_the_egress_guard_refuses_are_refused_at_save_time(string url, bool allowPrivate, string message)
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?> { ["Watchtower:Probes:AllowPrivateTargets"] = allowPrivate ? "true" : "false" },
        }, Ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        foreach (var kind in new[] { "Webhook", "Slack" })
        {
            var page = await owner.PostFormAsync("/Alerts/Create", new() { ["Input.Kind"] = kind, ["Input.Name"] = "Hook", ["Input.Url"] = url }, $"/Alerts/Create?kind={kind}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(message, page.Text("#Input_Url-error"), StringComparison.Ordinal);
            Assert.Empty(page.Text("#webhook-secret"));
        }

        Assert.Equal(0, await ChannelCountAsync(app));
    }

    [Theory]
    [InlineData("whsec_c2hvcnQ=")] // 5 bytes
    [InlineData("whsec_!!!not-base64!!!")]
    [InlineData("c2VjcmV0LXdpdGhvdXQtcHJlZml4LWJ1dC1sb25nLWVub3VnaA==")] // no whsec_ prefix
    public async Task Webhook_secrets_that_are_too_short_or_malformed_are_refused(string secret)
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions(), Ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var page = await owner.PostFormAsync("/Alerts/Create",
            new() { ["Input.Kind"] = "Webhook", ["Input.Name"] = "Hook", ["Input.Url"] = "http://127.0.0.1:9/hook", ["Input.Secret"] = secret }, "/Alerts/Create?kind=Webhook");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("24 to 64", page.Text("#Input_Secret-error"), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, page.Body, StringComparison.Ordinal); // a refused secret is not echoed back either
        Assert.Equal(0, await ChannelCountAsync(app));
    }

    [Fact]
    public async Task A_secret_is_shown_once_stored_encrypted_and_viewers_see_channels_but_cannot_change_them()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions(), Ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var (id, secret) = await owner.CreateWebhookAsync("http://127.0.0.1:9/hook");
        await using (var scope = app.CreateScope(out var db))
        {
            var stored = await db.NotificationChannels.AsNoTracking().SingleAsync(c => c.Id == id, Ct);
            Assert.NotNull(stored.ProtectedSecret);
            Assert.DoesNotContain(secret["whsec_".Length..], stored.ProtectedSecret, StringComparison.Ordinal);
        }

        foreach (var url in new[] { $"/Alerts/{id}", $"/Alerts/{id}/Edit", "/Alerts" })
        {
            var page = await owner.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.DoesNotContain(secret["whsec_".Length..], page.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Send_test_on_an_email_channel_goes_through_a_real_smtp_server_with_text_and_html()
    {
        var (exim, port, maildir) = await EximMailServer.StartAsync();
        await using var server = exim;
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?>
            {
                ["Watchtower:Email:Host"] = "127.0.0.1",
                ["Watchtower:Email:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Watchtower:Email:Security"] = "None",
                ["Watchtower:Email:FromAddress"] = "alerts@watchtower.test",
                ["Watchtower:Alerts:PublicBaseUrl"] = "http://status.test",
            },
        }, Ct);
        using var owner = await new OwnerClient(app).RegisterAsync(confirm: false);
        var confirmation = await maildir.WaitForAsync(owner.Email, "Confirm your email");
        await owner.GetAsync(Mailbox.Link(confirmation, "/Account/ConfirmEmail"));
        await owner.LogInAsync();
        var id = await owner.CreateEmailChannelAsync("oncall@acme.test\nboss@acme.test");

        var tested = await owner.PostFormAsync($"/Alerts/{id}?handler=Test", [], $"/Alerts/{id}");
        Assert.Equal(HttpStatusCode.Redirect, tested.Status);
        var page = await owner.GetAsync($"/Alerts/{id}");
        Assert.Contains("Test sent (SMTP 250)", page.Text("#flash"), StringComparison.Ordinal);
        Assert.Contains("SMTP 250", page.Text("#delivery-log"), StringComparison.Ordinal);

        var message = await maildir.WaitForAsync("oncall@acme.test", "Test message from Watchtower");
        Assert.Equal(["oncall@acme.test", "boss@acme.test"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("alerts@watchtower.test", Assert.Single(message.From.Mailboxes).Address);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(part => part.ContentType.MimeType));
        Assert.Contains("This is a test message", message.TextBody, StringComparison.Ordinal);

        // A real alert about a check carries a link to the check in both bodies.
        int team = await AlertSteps.TeamOfAsync(app, owner.Email);
        var checkId = await Owner.OwnerSteps.CreateCheckAsync(owner, Owner.OwnerSteps.CheckForm(interval: "3600"));
        await using (var scope = app.CreateScope(out var db))
        {
            var job = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Watchtower.Monitoring.Alerts.AlertDeliveryJob>(scope.ServiceProvider);
            var eventId = await AlertSteps.AddEventAsync(app, team, checkId, [id]);
            var lease = Guid.NewGuid();
            await db.AlertDeliveries.Where(d => d.EventId == eventId).ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseId, lease).SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow.AddMinutes(1)), Ct);
            Assert.Equal(1, await job.RunAsync(lease, Ct));
        }

        var alert = await maildir.WaitForAsync("boss@acme.test", "Mail server is down");
        Assert.Contains($"http://status.test/Checks/{checkId}", alert.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"http://status.test/Checks/{checkId}\"", alert.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Connection refused by 127.0.0.1:25", alert.HtmlBody, StringComparison.Ordinal);
    }
}
