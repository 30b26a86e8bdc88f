using Microsoft.Playwright;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.Tests.Alerts;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// The alert channel pages (list, new channel forms with field messages, the secret shown once, a
/// channel with its delivery log, the edit form) and the check form's channel choice — at 1280 and
/// 390 px, light and dark, with no axe violation and no sideways scrolling.
/// </summary>
public sealed class AlertPagesLookTests : IAsyncLifetime
{
    private readonly PageLooks looks = new();
    private WatchtowerApp app = null!;
    private IBrowser browser = null!;
    private string baseUrl = "";

    public async ValueTask InitializeAsync()
    {
        browser = await TestBrowser.LaunchAsync();
        app = await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Sqlite }, TestContext.Current.CancellationToken);
        app.UseKestrel(0);
        app.StartServer();
        baseUrl = app.ClientOptions.BaseAddress.ToString().TrimEnd('/');
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Channel_pages_fit_a_phone_and_pass_axe_in_light_and_dark()
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        var email = OwnerClient.NewEmail();
        await BrowserSignUp.SignUpAsync(page, app, email);

        await page.GotoAsync("/Alerts");
        await looks.EachAsync(page, "alerts-empty");

        // Bad input: field messages next to the fields.
        await page.GotoAsync("/Alerts/Create?kind=Email");
        await page.FillAsync("#Input_Name", "On-call email");
        await page.FillAsync("#Input_Addresses", "oncall@acme.test\nnot-an-address");
        await page.ClickAsync("#channel-submit");
        Assert.Contains("Not an email address", await page.Locator("#Input_Addresses-error").InnerTextAsync(), StringComparison.Ordinal);
        await looks.EachAsync(page, "alerts-create-email-errors");
        await page.FillAsync("#Input_Addresses", "oncall@acme.test\nboss@acme.test");
        await page.ClickAsync("#channel-submit");
        await page.WaitForURLAsync("**/Alerts/*");

        await page.GotoAsync("/Alerts/Create?kind=Webhook");
        await page.FillAsync("#Input_Name", "Ops webhook");
        await page.FillAsync("#Input_Url", "http://169.254.169.254/latest/meta-data");
        await page.FillAsync("#Input_Secret", "whsec_c2hvcnQ=");
        await page.ClickAsync("#channel-submit");
        Assert.NotEmpty(await page.Locator("#Input_Url-error").InnerTextAsync());
        await looks.EachAsync(page, "alerts-create-webhook-errors");
        await page.FillAsync("#Input_Url", "https://hooks.example.com/watchtower/a-rather-long-path-that-must-wrap-on-a-phone-screen");
        await page.FillAsync("#Input_Secret", "");
        await page.ClickAsync("#channel-submit");
        Assert.StartsWith("whsec_", await page.Locator("#webhook-secret").InputValueAsync(), StringComparison.Ordinal);
        await looks.EachAsync(page, "alerts-secret-once");
        await page.ClickAsync("#channel-continue");
        var webhookUrl = page.Url;

        // The new kinds' forms show only their own fields, with messages next to them.
        await page.GotoAsync("/Alerts/Create?kind=Teams");
        await page.FillAsync("#Input_Name", "Ops Teams");
        await page.FillAsync("#Input_Url", "http://169.254.169.254/workflows/hook");
        await page.ClickAsync("#channel-submit");
        Assert.NotEmpty(await page.Locator("#Input_Url-error").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#Input_Secret, #Input_Token, #Input_Addresses").CountAsync());
        await looks.EachAsync(page, "alerts-create-teams-errors");

        await page.GotoAsync("/Alerts/Create?kind=Telegram");
        await page.FillAsync("#Input_Name", "Ops Telegram");
        await page.FillAsync("#Input_Token", "12345:short");
        await page.FillAsync("#Input_ChatId", "ops channel");
        await page.ClickAsync("#channel-submit");
        Assert.Contains("not a bot token", await page.Locator("#Input_Token-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("whole number", await page.Locator("#Input_ChatId-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("", await page.Locator("#Input_Token").InputValueAsync()); // a refused token is not echoed back
        await looks.EachAsync(page, "alerts-create-telegram-errors");

        await page.GotoAsync("/Alerts/Create?kind=Ntfy");
        await page.FillAsync("#Input_Name", "Phone");
        await page.FillAsync("#Input_Url", "http://169.254.169.254");
        await page.FillAsync("#Input_Topic", "ops/alerts");
        await page.FillAsync("#Input_Token", "secret");
        await page.ClickAsync("#channel-submit");
        Assert.NotEmpty(await page.Locator("#Input_Url-error").InnerTextAsync());
        Assert.Contains("A topic is", await page.Locator("#Input_Topic-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("tk_", await page.Locator("#Input_Token-error").InnerTextAsync(), StringComparison.Ordinal);
        await looks.EachAsync(page, "alerts-create-ntfy-errors");

        await page.GotoAsync("/Alerts/Create?kind=PagerDuty");
        await page.FillAsync("#Input_Name", "On-call rotation");
        await page.FillAsync("#Input_Token", "abc123");
        await page.ClickAsync("#channel-submit");
        Assert.Contains("32 letters and digits", await page.Locator("#Input_Token-error").InnerTextAsync(), StringComparison.Ordinal);
        await looks.EachAsync(page, "alerts-create-pagerduty-errors");

        // A channel with a log: a failed delivery (the address refused at send time) and a sent one.
        int team = await AlertSteps.TeamOfAsync(app, email);
        var channelId = int.Parse(webhookUrl.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await using (var scope = app.CreateScope(out var db))
        {
            var now = DateTimeOffset.UtcNow;
            var alert = new AlertEvent { TeamId = team, Type = AlertEventType.CheckDown, Key = "look:1", At = now, CheckName = "Mail server", Message = "Connection refused" };
            alert.Deliveries.Add(new AlertDelivery { ChannelId = channelId, Status = DeliveryStatus.Failed, Attempts = 1, CreatedAt = now, NextAttemptAt = now, LastAttemptAt = now, ResultCode = "HTTP 410", ResultMessage = "410 Gone: this hook was removed and will never come back, a rather long answer" });
            var sent = new AlertEvent { TeamId = team, Type = AlertEventType.CheckRecovered, Key = "look:2", At = now, CheckName = "Mail server", Message = "Back" };
            sent.Deliveries.Add(new AlertDelivery { ChannelId = channelId, Status = DeliveryStatus.Sent, Attempts = 3, CreatedAt = now, NextAttemptAt = now, LastAttemptAt = now, SentAt = now, ResultCode = "HTTP 200", ResultMessage = "200 OK: ok" });
            db.AlertEvents.AddRange(alert, sent);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(
                db.NotificationChannels.Where(c => c.Id == channelId),
                s => s.SetProperty(c => c.FailingSince, now).SetProperty(c => c.ConsecutiveFailures, 5).SetProperty(c => c.LastError, "HTTP 410: Gone"),
                TestContext.Current.CancellationToken);
        }

        await page.GotoAsync(webhookUrl);
        Assert.Contains("Failing", await page.Locator("#channel-failing").InnerTextAsync(), StringComparison.Ordinal);
        await looks.EachAsync(page, "alerts-channel");
        await page.GotoAsync("/Alerts");
        await looks.EachAsync(page, "alerts-list");
        await page.GotoAsync($"/Alerts/{channelId}/Edit");
        await looks.EachAsync(page, "alerts-edit");
        await page.GotoAsync("/Dashboard");
        await looks.EachAsync(page, "alerts-dashboard-failing");
        await page.GotoAsync("/Checks/Create");
        Assert.Equal(2, await page.Locator("#alert-channels input[type=checkbox]").CountAsync());
        await looks.EachAsync(page, "alerts-check-form");

        looks.AssertNone();
    }
}
