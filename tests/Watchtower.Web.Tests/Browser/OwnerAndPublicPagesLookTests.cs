using System.Globalization;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// The dashboard, the status page editor and the public page as a reader in New York sees them,
/// at 1280 and 390 px, light and dark: no axe violation of any impact, no sideways scrolling on
/// a phone, times in the reader's zone, the Copy button, and reordering by keyboard and by drag.
/// Screenshots go to TestResults/screenshots/pages under the test output.
/// </summary>
public sealed class OwnerAndPublicPagesLookTests : IAsyncLifetime
{
    private const string ReaderZone = "America/New_York";
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
    public async Task Dashboard_editor_and_public_page_fit_a_phone_pass_axe_in_light_and_dark_and_show_local_times()
    {
        await using var owner = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, TimezoneId = ReaderZone, Locale = "en-US", ViewportSize = new() { Width = 1280, Height = 900 },
        });
        await owner.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = baseUrl });
        var page = await owner.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(45_000);

        await page.GotoAsync("/");
        await looks.EachAsync(page, "home");

        var email = OwnerClient.NewEmail();
        await BrowserSignUp.SignUpAsync(page, app, email);
        var seeded = await SeedAsync(email);

        // The dashboard.
        await page.GotoAsync("/Dashboard");
        await looks.EachAsync(page, "dashboard");
        Assert.Equal("Confirming (1 of 2 failures)", (await page.InnerTextAsync($"tr[data-check-id='{seeded.Database}'] td.state")).Trim());
        Assert.Contains("Confirming recovery (1 of 2 successes)", await page.InnerTextAsync($"tr[data-check-id='{seeded.Sftp}'] td.state"), StringComparison.Ordinal);
        Assert.Equal("Waiting for the first result", (await page.InnerTextAsync($"tr[data-check-id='{seeded.Redis}'] td.state")).Trim());

        // A time more than a day old reads as a date in New York time, not the server's UTC text.
        var old = page.Locator($"tr[data-check-id='{seeded.Ftp}'] time");
        var oldInstant = DateTimeOffset.Parse(await old.GetAttributeAsync("datetime") ?? "", CultureInfo.InvariantCulture);
        var oldText = await old.InnerTextAsync();
        Assert.Equal(NewYork(oldInstant), oldText);
        Assert.DoesNotContain("UTC", oldText, StringComparison.Ordinal);
        // A recent one stays relative; its title gives the local time with the zone.
        var recent = page.Locator($"tr[data-check-id='{seeded.Mail}'] time");
        Assert.Matches("^[0-9]+ s ago$", await recent.InnerTextAsync());
        Assert.Equal(NewYork(DateTimeOffset.Parse(await recent.GetAttributeAsync("datetime") ?? "", CultureInfo.InvariantCulture)), await recent.GetAttributeAsync("title"));

        // Copy the public address.
        var publicUrl = $"{baseUrl}/status/{seeded.Slug}";
        var copy = page.Locator($"tr[data-page-id='{seeded.PageId}'] button.copy");
        Assert.Equal(publicUrl, await page.InnerTextAsync($"#public-url-{seeded.PageId}"));
        await copy.ClickAsync();
        await Assertions.Expect(copy.Locator(".copy-label")).ToHaveTextAsync("Copied");
        Assert.Equal(publicUrl, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        Assert.Contains("Copied", await page.Locator($"tr[data-page-id='{seeded.PageId}'] [data-copy-status]").TextContentAsync(), StringComparison.Ordinal);
        await PageLooks.ScreenshotAsync(page, "dashboard-copied");

        // The editor: keyboard first (SFTP up), then drag (Mail below Database), then tick Redis.
        await page.GotoAsync($"/StatusPages/{seeded.PageId}/Edit");
        await looks.EachAsync(page, "editor");
        Assert.Equal(["Mail server", "Customer database", "SFTP"], await ShownAsync(page));
        await page.Locator($"#choice-{seeded.Sftp} button[data-move=up]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal(["Mail server", "SFTP", "Customer database"], await ShownAsync(page));
        Assert.True(await page.EvaluateAsync<bool>($"() => document.activeElement === document.querySelector('#choice-{seeded.Sftp} button[data-move=up]')"),
            "focus stays on the button pressed, so it can be pressed again");
        Assert.Contains("“SFTP” moved to position 2 of 3", await page.InnerTextAsync("#order-status"), StringComparison.Ordinal);

        var target = page.Locator($"#choice-{seeded.Database}");
        var box = (await target.BoundingBoxAsync())!;
        await page.Locator($"#choice-{seeded.Mail} .handle").DragToAsync(target, new() { TargetPosition = new() { X = box.Width / 2, Y = box.Height - 3 } });
        Assert.Equal(["SFTP", "Customer database", "Mail server"], await ShownAsync(page));

        await page.CheckAsync($"#show-{seeded.Redis}");
        Assert.Equal(["SFTP", "Customer database", "Mail server", "Redis cache"], await ShownAsync(page));
        Assert.Equal(["1", "2", "3", "4", "5"], await page.Locator("#page-form input[data-position]").EvaluateAllAsync<string[]>(
            "inputs => inputs.map(i => [i.closest('li').id, i.value]).sort((a, b) => a[1] - b[1]).map(x => x[1])"));
        await PageLooks.ScreenshotAsync(page, "editor-reordered");
        await page.ClickAsync("#page-save");
        await page.WaitForSelectorAsync(".flash");
        Assert.Equal(["SFTP", "Customer database", "Mail server", "Redis cache"], await ShownAsync(page));
        await using (var scope = app.CreateScope(out var db))
        {
            var stored = await db.StatusPageChecks.Where(x => x.StatusPageId == seeded.PageId).OrderBy(x => x.SortOrder).Select(x => x.CheckId)
                .ToListAsync(TestContext.Current.CancellationToken);
            Assert.Equal([seeded.Sftp, seeded.Database, seeded.Mail, seeded.Redis], stored);
        }

        // The public page, for a visitor in the same zone.
        await using var visitorContext = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, TimezoneId = ReaderZone, Locale = "en-US", ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var visitor = await visitorContext.NewPageAsync();
        visitor.SetDefaultTimeout(45_000);
        await Task.Delay(1100, TestContext.Current.CancellationToken); // the output cache keeps a page 1 s in tests
        await visitor.GotoAsync($"/status/{seeded.Slug}");
        Assert.Equal(["SFTP", "Customer database", "Mail server", "Redis cache"], await visitor.Locator("#services .service .name").AllInnerTextsAsync());
        var updated = visitor.Locator("#updated time");
        var updatedAt = DateTimeOffset.Parse(await updated.GetAttributeAsync("datetime") ?? "", CultureInfo.InvariantCulture);
        var serverText = updatedAt.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var shown = await updated.InnerTextAsync();
        Assert.NotEqual(serverText, shown);
        Assert.Equal(NewYork(updatedAt), shown);
        await looks.EachAsync(visitor, "public");

        looks.AssertNone();
    }

    [Fact]
    public async Task The_dashboard_of_5000_checks_its_counts_filters_and_pages_fit_a_phone_and_pass_axe_in_light_and_dark()
    {
        await using var owner = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, TimezoneId = ReaderZone, Locale = "en-US", ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = await owner.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(45_000);
        var email = OwnerClient.NewEmail();
        await BrowserSignUp.SignUpAsync(page, app, email);
        await Owner.DashboardTests.SeedAsync(app, email, 5000, wordy: true);

        await page.GotoAsync("/Dashboard");
        Assert.Equal("1–50 of 5,000 checks", (await page.InnerTextAsync("#checks-showing")).Trim());
        Assert.Equal("No worker is running for location default: its checks are not being run.", (await page.InnerTextAsync("#no-worker-default")).Trim());
        await looks.EachAsync(page, "dashboard-5000");

        // Filters by form, as a reader fills it in.
        await page.FillAsync("#q", "shop");
        await page.SelectOptionAsync("#kind", "http");
        await page.ClickAsync("#filter");
        await page.WaitForURLAsync(new Regex("kind=http"));
        Assert.Equal("1–50 of 500 matching checks", (await page.InnerTextAsync("#checks-showing")).Trim());
        await looks.EachAsync(page, "dashboard-filtered");

        // A count filters by state, keeping the others.
        await page.ClickAsync("#count-down");
        await page.WaitForURLAsync(new Regex("state=down"));
        Assert.Equal("true", await page.GetAttributeAsync("#count-down", "aria-current"));
        Assert.Equal(1, await page.Locator("#checks-table tbody tr").CountAsync());

        // Pages of the whole list.
        await page.ClickAsync("#clear-filters");
        await page.ClickAsync("#page-next");
        await page.WaitForURLAsync(new Regex("p=2"));
        Assert.Equal("Page 2 of 100", (await page.InnerTextAsync("#page-of")).Trim());
        await looks.EachAsync(page, "dashboard-page-2");

        looks.AssertNone();
    }

    /// <summary>Every size in light and dark: no sideways scroll at 390 px, no axe violation, a screenshot.</summary>
    private static Task<string[]> ShownAsync(IPage page) =>
        page.Locator("#shown-checks > li.choice").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.name)");

    /// <summary>What time.js writes for an instant read in New York: "3 Dec 2026, 09:05 EST".</summary>
    private static string NewYork(DateTimeOffset instant)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(ReaderZone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + (zone.IsDaylightSavingTime(local) ? " EDT" : " EST");
    }

    private sealed record Seeded(int PageId, string Slug, int Mail, int Database, int Sftp, int Redis, int Ftp);

    /// <summary>A page and checks in different states, written straight to the database.</summary>
    private async Task<Seeded> SeedAsync(string email)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = app.CreateScope(out var db);
        var teamId = await db.TeamMembers.Where(m => m.User!.Email == email).Select(m => m.TeamId).SingleAsync(ct);
        var now = DateTimeOffset.UtcNow;
        Check Make(string name, string host, int port, CheckState state, DateTimeOffset? checkedAt, int? latency, string? message) => new()
        {
            TeamId = teamId, Name = name, Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = host, Port = port }, State = state, LastCheckedAt = checkedAt, LastLatencyMs = latency,
            LastMessage = message, LastPublicMessage = message, CreatedAt = now.AddDays(-3), NextRunAt = now.AddYears(1),
        };
        var mail = Make("Mail server", "mail.acme-logistics.example", 25, CheckState.Up, now.AddSeconds(-20), 23, "SMTP server greeted: 220 mail.acme-logistics.example ESMTP.");
        var database = Make("Customer database", "db.acme-logistics.example", 5432, CheckState.Pending, now.AddSeconds(-50), null, "Connection refused on port 5432.");
        database.ConsecutiveFailures = 1;
        var sftp = Make("SFTP", "files.acme-logistics.example", 22, CheckState.Down, now.AddMinutes(-2), 41, "SSH server answered: SSH-2.0-OpenSSH_9.2.");
        (sftp.ConsecutiveSuccesses, sftp.RecoveryThreshold) = (1, 2);
        sftp.LastPublicMessage = "SSH server did not answer in time."; // the outage the page still shows while recovery is confirmed
        var redis = Make("Redis cache", "cache.acme-logistics.example", 6379, CheckState.Pending, null, null, null);
        var ftp = Make("Legacy FTP", "ftp.acme-logistics.example", 21, CheckState.Paused, now.AddDays(-2).AddHours(-3), 30, "FTP server greeted: 220 ready.");
        ftp.Enabled = false;
        db.Checks.AddRange(mail, database, sftp, redis, ftp);
        await db.SaveChangesAsync(ct);

        var slug = $"acme-{Guid.NewGuid():N}"[..16];
        var statusPage = new StatusPage { TeamId = teamId, Name = "Acme Logistics", Slug = slug, Description = "Mail, files and the customer database.", CreatedAt = now };
        statusPage.Checks.AddRange([
            new StatusPageCheck { CheckId = mail.Id, SortOrder = 1 },
            new StatusPageCheck { CheckId = database.Id, SortOrder = 2 },
            new StatusPageCheck { CheckId = sftp.Id, SortOrder = 3 },
        ]);
        db.StatusPages.Add(statusPage);
        await db.SaveChangesAsync(ct);
        return new Seeded(statusPage.Id, slug, mail.Id, database.Id, sftp.Id, redis.Id, ftp.Id);
    }
}
