using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.Alerts;
using Watchtower.Testing;
using Watchtower.Web.Tests.Alerts;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// Real alert messages as a person sees them, for docs/notifications.md: a check-down alert goes
/// through the outbox to an email channel (the .eml the embedded sender writes, its HTML part shown
/// in Chromium at 1280 and 390 px, axe-clean) and to Slack and Discord channels pointed at a local
/// receiver (the payloads they got, drawn as a card by a small renderer made for the screenshot,
/// with the JSON under it). Screenshots: TestResults/screenshots/messages (copied to docs/screenshots).
/// </summary>
public sealed class AlertMessageLookTests : IAsyncLifetime
{
    private WatchtowerApp app = null!;
    private IBrowser browser = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        browser = await TestBrowser.LaunchAsync();
        app = await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Postgres, RunEngine = true, Settings = AlertSteps.FastAlerts() }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        await app.DisposeAsync();
    }

    private async Task<int> ChatChannelAsync(int teamId, ChannelKind kind, string url)
    {
        await using var scope = app.CreateScope(out var db);
        var channel = new NotificationChannel
        {
            TeamId = teamId, Name = $"{kind} #ops", Kind = kind, UrlHint = "127.0.0.1", CreatedAt = DateTimeOffset.UtcNow,
            ProtectedSecret = scope.ServiceProvider.GetRequiredService<ChannelSecrets>().Protect(url),
        };
        db.NotificationChannels.Add(channel);
        await db.SaveChangesAsync(Ct);
        return channel.Id;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", "messages");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000, "the screenshot should not be empty");
    }

    [Fact]
    public async Task A_down_alert_as_an_email_and_as_slack_and_discord_cards()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var team = await AlertSteps.TeamOfAsync(app, owner.Email);
        var email = await owner.CreateEmailChannelAsync("oncall@acme.test");
        var slack = await ChatChannelAsync(team, ChannelKind.Slack, $"http://127.0.0.1:{receiver.Port}/slack");
        var discord = await ChatChannelAsync(team, ChannelKind.Discord, $"http://127.0.0.1:{receiver.Port}/discord");
        var checkId = await owner.CreateCheckAsync(OwnerSteps.CheckForm(name: "Mail server", interval: "3600"));
        var eventId = await AlertSteps.AddEventAsync(app, team, checkId, [email, slack, discord]);

        // What was delivered: the .eml, and the two payloads as posted.
        var mail = await app.Mailbox.WaitForAsync("oncall@acme.test", "Mail server is down", TimeSpan.FromSeconds(60));
        Assert.Equal("[Watchtower] Mail server is down", mail.Subject);
        var slackPost = await receiver.WaitForAsync(r => r.Path == "/slack", TimeSpan.FromSeconds(30));
        var discordPost = await receiver.WaitForAsync(r => r.Path == "/discord", TimeSpan.FromSeconds(30));
        Assert.Contains($"http://status.test/Checks/{checkId}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"http://status.test/Checks/{checkId}", slackPost.Body, StringComparison.Ordinal);
        Assert.Contains($"http://status.test/Checks/{checkId}", discordPost.Body, StringComparison.Ordinal);
        Assert.All(await AlertSteps.DeliveriesAsync(app, eventId), d => Assert.Equal(DeliveryStatus.Sent, d.Status));

        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1280, Height = 800 }, JavaScriptEnabled = true });
        var page = await context.NewPageAsync();
        var problems = new List<string>();

        // The email's HTML part, as a mail client that shows HTML would: wide and phone-sized, no sideways scrolling, axe-clean.
        Assert.NotNull(mail.HtmlBody);
        await page.SetContentAsync(mail.HtmlBody);
        Assert.Equal("Mail server is down", await page.Locator("h1").InnerTextAsync());
        Assert.Equal($"http://status.test/Checks/{checkId}", await page.Locator("a").GetAttributeAsync("href"));
        foreach (var (width, height) in new[] { (1280, 800), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await ScreenshotAsync(page, $"alert-email-{width}");
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            if (overflow > 0)
            {
                problems.Add($"email at {width}: scrolls sideways by {overflow} px");
            }

            var axe = await page.RunAxe();
            problems.AddRange(axe.Violations.Select(v => $"email at {width}: axe {v.Impact} {v.Id}: {v.Help}"));
        }

        // Slack and Discord: the payloads drawn as each app lays out such a message.
        await page.SetViewportSizeAsync(760, 600);
        await page.SetContentAsync(ChatCard.Html);
        await page.EvaluateAsync("json => renderSlack(json)", slackPost.Body);
        Assert.Equal("Mail server is down", await page.Locator(".slack .header").InnerTextAsync());
        Assert.Equal("Open the check", await page.Locator(".slack .context a").InnerTextAsync());
        Assert.Contains("Connection refused by 127.0.0.1:25", await page.Locator(".slack .section").InnerTextAsync(), StringComparison.Ordinal);
        await ScreenshotAsync(page, "alert-slack");

        await page.SetContentAsync(ChatCard.Html);
        await page.EvaluateAsync("json => renderDiscord(json)", discordPost.Body);
        Assert.Equal("Mail server is down", await page.Locator(".discord .title").InnerTextAsync());
        Assert.Equal("rgb(217, 45, 32)", await page.Locator(".discord .embed").EvaluateAsync<string>("e => getComputedStyle(e).borderLeftColor"));
        await ScreenshotAsync(page, "alert-discord");

        using var slackJson = JsonDocument.Parse(slackPost.Body);
        Assert.Equal("Mail server is down", slackJson.RootElement.GetProperty("text").GetString());
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// A small renderer made only for these screenshots: Slack's Block Kit (header, mrkdwn section
    /// with its &amp;/&lt;/&gt; escapes and &lt;url|text&gt; links, context) and Discord's embed (colour bar, linked
    /// title, description, footer and time), each over the formatted JSON it was drawn from. Text is
    /// set with textContent, never as HTML.
    /// </summary>
    private static class ChatCard
    {
        public const string Html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Chat message</title>
            <style>
              body { margin: 0; font: 15px/1.46 system-ui, -apple-system, "Segoe UI", sans-serif; }
              .pane { padding: 20px 24px; }
              .msg { display: flex; gap: 12px; }
              .avatar { width: 40px; height: 40px; border-radius: 6px; background: #1d4ed8; color: #fff; font-weight: 700; display: grid; place-items: center; flex: none; }
              .who { font-weight: 800; } .tag { font-size: 10px; padding: 1px 4px; border-radius: 3px; margin-left: 6px; vertical-align: 2px; }
              .when { font-size: 12px; margin-left: 8px; }
              .slack { background: #fff; color: #1d1c1d; } .slack .tag { background: #e8e8e8; color: #616061; } .slack .when { color: #616061; }
              .slack .header { font-size: 18px; font-weight: 900; margin: 4px 0; } .slack .context { font-size: 13px; color: #616061; } .slack a { color: #1264a3; }
              .discord { background: #313338; color: #dbdee1; } .discord .who { color: #f2f3f5; } .discord .tag { background: #5865f2; color: #fff; } .discord .when { color: #949ba4; }
              .discord .embed { background: #2b2d31; border-left: 4px solid; border-radius: 4px; padding: 8px 16px 12px 12px; margin-top: 4px; max-width: 520px; }
              .discord .title { font-weight: 600; margin: 4px 0; } .discord .title a { color: #00a8fc; text-decoration: none; }
              .discord .footer { font-size: 12px; color: #b5bac1; margin-top: 8px; }
              pre { margin: 0; padding: 12px 24px 20px; background: #f6f8fa; color: #24292f; font: 12px/1.45 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
              .label { font: 600 12px system-ui, sans-serif; color: #57606a; padding: 12px 24px 0; background: #f6f8fa; margin: 0; }
            </style></head>
            <body><main id="out"></main>
            <script>
              const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
              function json(raw) { const out = document.getElementById('out'); out.append(el('p', 'label', 'Payload as posted'), el('pre', '', JSON.stringify(JSON.parse(raw), null, 2))); }
              function head(box, name, tag, when) { const h = el('div'); h.append(el('span', 'who', name), el('span', 'tag', tag), el('span', 'when', when)); box.append(h); }
              function mrkdwn(parent, text) {
                const re = /<([^|>]+)\|([^>]+)>/g; let last = 0, m;
                const plain = t => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
                while ((m = re.exec(text))) { parent.append(plain(text.slice(last, m.index))); const a = el('a', '', plain(m[2])); a.href = m[1]; parent.append(a); last = re.lastIndex; }
                parent.append(plain(text.slice(last)));
              }
              function renderSlack(raw) {
                const p = JSON.parse(raw); const pane = el('section', 'pane slack'); pane.setAttribute('aria-label', 'Slack');
                const msg = el('div', 'msg'); msg.append(el('div', 'avatar', 'W')); const box = el('div'); msg.append(box); pane.append(msg);
                head(box, 'Watchtower', 'APP', new Date().toISOString().slice(11, 16));
                for (const b of p.blocks) {
                  if (b.type === 'header') box.append(el('div', 'header', b.text.text));
                  else if (b.type === 'section') { const d = el('div', 'section'); mrkdwn(d, b.text.text); box.append(d); }
                  else if (b.type === 'context') { const d = el('div', 'context'); for (const e of b.elements) mrkdwn(d, e.text); box.append(d); }
                }
                document.getElementById('out').append(pane); json(raw);
              }
              function renderDiscord(raw) {
                const p = JSON.parse(raw); const e = p.embeds[0]; const pane = el('section', 'pane discord'); pane.setAttribute('aria-label', 'Discord');
                const msg = el('div', 'msg'); const av = el('div', 'avatar', 'W'); av.style.borderRadius = '50%'; msg.append(av); const box = el('div'); msg.append(box); pane.append(msg);
                head(box, p.username, 'BOT', 'Today at ' + e.timestamp.slice(11, 16));
                const embed = el('div', 'embed'); embed.style.borderLeftColor = '#' + e.color.toString(16).padStart(6, '0');
                const title = el('div', 'title'); if (e.url) { const a = el('a', '', e.title); a.href = e.url; title.append(a); } else title.textContent = e.title;
                embed.append(title, el('div', 'description', e.description), el('div', 'footer', e.footer.text + ' • ' + e.timestamp.replace('T', ' ').slice(0, 16) + ' UTC'));
                box.append(embed); document.getElementById('out').append(pane); json(raw);
              }
            </script></body></html>
            """;
    }
}
