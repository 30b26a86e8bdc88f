using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Watchtower.Data.Entities;
using Watchtower.Monitoring.History;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// The public page's history: per service the 90-day uptime and bar (hover and keyboard focus show
/// a day's date, uptime, downtime and incidents, with a link to the incident), the response-time
/// chart for 24 h / 7 d / 30 d without JavaScript; at 1280 and 390 px, light and dark, axe clean.
/// </summary>
public sealed class StatusHistoryLookTests : IAsyncLifetime
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
    public async Task Each_service_shows_uptime_a_90_day_bar_with_day_details_on_hover_and_focus_and_a_response_time_chart()
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, Locale = "en-GB", ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        var email = OwnerClient.NewEmail();
        await BrowserSignUp.SignUpAsync(page, app, email);
        var (slug, incidentId, downDay) = await SeedAsync(email);

        await page.GotoAsync($"/status/{slug}");
        Assert.Equal(90, await page.Locator("#bar-0 > li").CountAsync());
        Assert.Equal("99.96%", (await page.Locator("#uptime-0").InnerTextAsync()).Trim()); // 42 min down in 90 days (hand-computed below)
        Assert.Equal("100.00%", (await page.Locator("#uptime-1").InnerTextAsync()).Trim());
        var down = page.Locator($"#bar-0 > li[data-day='{downDay:yyyy-MM-dd}']");
        Assert.Equal("d-down", await down.GetAttributeAsync("class"));
        Assert.Equal("d-maintenance", await page.Locator("#bar-1 > li").Nth(88).GetAttributeAsync("class"));

        // Keyboard: the bar is one radio group; focus shows the day, arrow keys move to the next.
        await down.Locator("input").FocusAsync();
        var tip = down.Locator(".tip");
        Assert.True(await ShownAsync(tip));
        var text = await tip.InnerTextAsync();
        foreach (var expected in new[] { downDay.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture), "97.08% up", "42 min down", "Database unreachable" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.Equal($"/status/{slug}/incidents/{incidentId}", await tip.Locator("a").GetAttributeAsync("href"));
        await page.Keyboard.PressAsync("Tab"); // into the day's incident link, the tip stays open
        Assert.Equal("Database unreachable", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        Assert.True(await ShownAsync(tip));
        await down.Locator("input").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        var next = page.Locator($"#bar-0 > li[data-day='{downDay.AddDays(1):yyyy-MM-dd}']");
        Assert.True(await ShownAsync(next.Locator(".tip")));
        Assert.Contains("100.00% up", await next.Locator(".tip").InnerTextAsync(), StringComparison.Ordinal);
        Assert.False(await ShownAsync(tip));

        // Hover shows a day too.
        Assert.False(await ShownAsync(page.Locator("#bar-1 > li").Nth(88).Locator(".tip")));
        await page.Locator("#bar-1 > li").Nth(88).HoverAsync();
        Assert.True(await ShownAsync(page.Locator("#bar-1 > li").Nth(88).Locator(".tip")));
        Assert.Contains("60 min maintenance", await page.Locator("#bar-1 > li").Nth(88).Locator(".tip").InnerTextAsync(), StringComparison.Ordinal);

        // Response times: a disclosure, periods chosen with radios (CSS only). (Tips close first: they cover what is below the bar.)
        await page.EvaluateAsync("() => document.activeElement.blur()");
        await page.Mouse.MoveAsync(0, 0);
        await page.Locator("#latency-0 summary").ClickAsync();
        Assert.True(await page.Locator("#latency-0 .p-24h svg path.avg").IsVisibleAsync());
        Assert.False(await page.Locator("#latency-0 .p-7d").IsVisibleAsync());
        await page.Locator("label[for='range-0-7d']").ClickAsync();
        Assert.True(await page.Locator("#latency-0 .p-7d svg path.avg").IsVisibleAsync());
        Assert.Contains("Last 7 days: average", await page.Locator("#latency-0 .p-7d figcaption").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("label[for='range-0-24h']").ClickAsync();

        await page.Mouse.MoveAsync(0, 0);
        await looks.EachAsync(page, "status-uptime");
        await down.Locator("input").FocusAsync();
        await PageLooks.ScreenshotAsync(page, "status-uptime-day-focused-1280-light");
        await page.SetViewportSizeAsync(390, 844);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await down.Locator("input").FocusAsync();
        await PageLooks.ScreenshotAsync(page, "status-uptime-day-focused-390-dark");

        // Without JavaScript: the same bars, tips on focus, the charts.
        await using var plain = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, JavaScriptEnabled = false });
        var reader = await plain.NewPageAsync();
        await reader.GotoAsync($"/status/{slug}");
        Assert.Equal(180, await reader.Locator(".bar > li").CountAsync());
        await reader.Locator($"#bar-0 > li[data-day='{downDay:yyyy-MM-dd}'] input").FocusAsync();
        Assert.True(await ShownAsync(reader.Locator($"#bar-0 > li[data-day='{downDay:yyyy-MM-dd}'] .tip")));
        Assert.Contains("42 min down", await reader.Locator($"#bar-0 > li[data-day='{downDay:yyyy-MM-dd}'] .tip").InnerTextAsync(), StringComparison.Ordinal);
        await reader.Locator("#uptime-0").FocusAsync();
        await reader.Mouse.MoveAsync(0, 0);
        await reader.Locator("#latency-1 summary").ClickAsync();
        await reader.Locator("label[for='range-1-30d']").ClickAsync();
        Assert.True(await reader.Locator("#latency-1 .p-30d svg path.avg").IsVisibleAsync());

        looks.AssertNone();
    }

    /// <summary>Shown as a tip (a hidden tip is a clipped 1 px box, which Playwright still calls visible).</summary>
    private static async Task<bool> ShownAsync(ILocator tip) => (await tip.BoundingBoxAsync()) is { Width: > 50, Height: > 10 };

    private async Task<(string Slug, int IncidentId, DateOnly DownDay)> SeedAsync(string email)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = app.CreateScope(out var db);
        var teamId = await db.TeamMembers.Where(m => m.User!.Email == email).Select(m => m.TeamId).SingleAsync(ct);
        var now = DateTimeOffset.UtcNow;
        Check Make(string name, int port) => new()
        {
            TeamId = teamId, Name = name, Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = "acme.example", Port = port }, State = CheckState.Up, LastCheckedAt = now.AddSeconds(-30),
            LastLatencyMs = 20, CreatedAt = now.AddDays(-100), NextRunAt = now.AddYears(1), LastPublicMessage = "Operational",
        };
        var database = Make("Customer database", 5432);
        var mail = Make("Mail server", 25);
        db.Checks.AddRange(database, mail);
        await db.SaveChangesAsync(ct);
        var slug = $"acme-{Guid.NewGuid():N}"[..16];
        var statusPage = new StatusPage
        {
            TeamId = teamId, Name = "Acme Logistics", Slug = slug, CreatedAt = now.AddDays(-100),
            Checks = [new() { CheckId = database.Id, SortOrder = 1 }, new() { CheckId = mail.Id, SortOrder = 2 }],
        };
        db.StatusPages.Add(statusPage);
        await db.SaveChangesAsync(ct);

        // 90 whole observed days (today too, for the sake of simple figures); the database was down 42 minutes
        // three days ago: 90 × 1440 min observed, 42 down → 99.9675 % → "99.96%"; that day 1398/1440 = 97.08 %.
        const long DayMs = 86_400_000;
        var today = RollupMath.DayOf(now);
        var downDay = today.AddDays(-3);
        var random = new Random(7);
        for (var d = 0; d < 90; d++)
        {
            var start = today.AddDays(-d);
            var downMs = start == downDay ? 42 * 60_000L : 0;
            var maintenanceMs = d == 1 ? 60 * 60_000L : 0;
            db.DailyRollups.Add(Row<CheckDailyRollup>(database.Id, start, DayMs, downMs, 0, random, 1440));
            db.DailyRollups.Add(Row<CheckDailyRollup>(mail.Id, start, DayMs, 0, maintenanceMs, random, 1440));
        }

        for (var h = 0; h < 7 * 24; h++)
        {
            var start = RollupMath.HourOf(now).AddHours(-h);
            db.HourlyRollups.Add(Row<CheckHourlyRollup>(database.Id, start, 3_600_000, 0, 0, random, 60));
            db.HourlyRollups.Add(Row<CheckHourlyRollup>(mail.Id, start, 3_600_000, 0, 0, random, 60));
        }

        var incident = new Incident
        {
            TeamId = teamId, StatusPageId = statusPage.Id, Title = "Database unreachable", Status = IncidentStatus.Resolved, Impact = IncidentImpact.Major,
            CreatedAt = downDay.AddHours(9), ResolvedAt = downDay.AddHours(9).AddMinutes(42), Automatic = true, CheckId = database.Id,
            Updates = [new() { Status = IncidentStatus.Resolved, Body = "This service is operating normally again.", At = downDay.AddHours(9).AddMinutes(42) }],
            Components = [new() { CheckId = database.Id, Status = ComponentStatus.Operational }],
        };
        db.Incidents.Add(incident);
        await db.SaveChangesAsync(ct);
        return (slug, incident.Id, DateOnly.FromDateTime(downDay.UtcDateTime));
    }

    private static T Row<T>(int checkId, DateTimeOffset start, long observedMs, long downMs, long maintenanceMs, Random random, int runs) where T : CheckRollup, new()
    {
        var row = new T
        {
            CheckId = checkId, Start = start, ObservedMs = observedMs, DownMs = downMs, MaintenanceMs = maintenanceMs, UpMs = observedMs - downMs - maintenanceMs,
            RunsUp = runs - (int)(downMs / 60_000), RunsDown = (int)(downMs / 60_000),
        };
        // Latencies around 30–60 ms with the odd slow one.
        for (var i = 0; i < row.RunsUp; i++)
        {
            var ms = 30 + random.Next(30) + (random.Next(40) == 0 ? 200 : 0);
            row.LatencyCount++;
            row.LatencySumMs += ms;
            row.LatencyMinMs = Math.Min(row.LatencyMinMs ?? int.MaxValue, ms);
            row.LatencyMaxMs = Math.Max(row.LatencyMaxMs ?? 0, ms);
            row.LatencyBuckets = LatencyHistogram.Add(row.LatencyBuckets, ms);
        }

        return row;
    }
}
