using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// The embeddable widget in Chromium: on its own at 1280 and 390 px, light and dark, with no axe
/// violation; and framed by a page of another origin, where it shows (while the public page, framed
/// the same way, is refused by its frame-ancestors 'none').
/// </summary>
public sealed class WidgetLookTests : IAsyncLifetime
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
    public async Task The_widget_passes_axe_in_light_and_dark_and_shows_framed_by_another_site_while_the_page_is_refused()
    {
        var slugs = new List<string>();
        foreach (var state in new[] { CheckState.Up, CheckState.Degraded, CheckState.Down })
        {
            slugs.Add(await SeedAsync(state));
        }

        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(45_000);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);

        string[] expected = ["All systems operational", "Degraded performance", "Major outage"];
        for (var i = 0; i < slugs.Count; i++)
        {
            requests.Clear();
            await page.GotoAsync($"/status/{slugs[i]}/widget");
            Assert.Equal(expected[i], (await page.Locator("#widget-state").InnerTextAsync()).Trim());
            Assert.Equal([$"{baseUrl}/status/{slugs[i]}/widget"], requests); // nothing else fetched
            await looks.EachAsync(page, $"widget-{i}");
        }

        // Another site (another origin: its own server on another port of this machine; a page
        // Playwright made up would count as public, and Chromium keeps those from framing loopback)
        // frames the widget and, as a check, the public page itself.
        var html = $"""
            <!DOCTYPE html><html lang="en"><head><title>Owner's site</title></head><body>
            <iframe name="widget" src="{baseUrl}/status/{slugs[0]}/widget" title="Service status" width="420" height="42" style="border:0"></iframe>
            <iframe name="page" src="{baseUrl}/status/{slugs[0]}" title="Status page" width="320" height="200"></iframe>
            </body></html>
            """;
        await using var site = await Watchtower.Testing.Servers.TestWebServer.StartAsync(routes: web =>
            web.MapGet("/owner-site", () => Microsoft.AspNetCore.Http.Results.Content(html, "text/html; charset=utf-8")));
        await page.GotoAsync($"{site.HttpBase.TrimEnd('/')}/owner-site");
        await page.WaitForLoadStateAsync(LoadState.Load);
        var widget = page.Frames.Single(f => f.Name == "widget");
        Assert.Equal("All systems operational", (await widget.Locator("#widget-state").InnerTextAsync()).Trim());
        Assert.Equal("_blank", await widget.Locator("#widget-link").GetAttributeAsync("target"));
        Assert.Equal(0, await widget.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollHeight - window.innerHeight)")); // fits the documented 42 px
        await PageLooks.ScreenshotAsync(page, "widget-embedded");
        var framedPage = page.Frames.Single(f => f.Name == "page");
        Assert.Equal(0, await framedPage.Locator("#page-name").CountAsync());

        looks.AssertNone();
    }

    private async Task<string> SeedAsync(CheckState state)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = app.CreateScope(out var db);
        var now = DateTimeOffset.UtcNow;
        var team = new Team { Name = "Acme", CreatedAt = now };
        db.Teams.Add(team);
        await db.SaveChangesAsync(ct);
        var check = new Check
        {
            TeamId = team.Id, Name = "Mail server", Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = "acme.example", Port = 25 }, State = state,
            LastCheckedAt = now, CreatedAt = now.AddDays(-3), NextRunAt = now.AddYears(1),
        };
        db.Checks.Add(check);
        await db.SaveChangesAsync(ct);
        var slug = $"acme-{Guid.NewGuid():N}"[..16];
        db.StatusPages.Add(new StatusPage { TeamId = team.Id, Name = "Acme Logistics", Slug = slug, CreatedAt = now, Checks = [new() { CheckId = check.Id, SortOrder = 1 }] });
        await db.SaveChangesAsync(ct);
        return slug;
    }
}
