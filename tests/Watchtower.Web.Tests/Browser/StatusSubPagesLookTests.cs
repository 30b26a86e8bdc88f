using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.Tests.Branding;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// A branded page's sub-pages — incident history, an incident's permalink, the password form — carry
/// the page's header: its logo (loaded), the accent colour and the link back to the owner's site; at
/// 1280 and 390 px, light and dark, with no axe violation and no sideways scrolling.
/// </summary>
public sealed class StatusSubPagesLookTests : IAsyncLifetime
{
    private const string Accent = "#0b5d3b";
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
    public async Task History_incident_and_password_pages_show_the_logo_accent_and_site_link()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, Locale = "en-GB", ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(45_000);
        var email = OwnerClient.NewEmail();
        await BrowserSignUp.SignUpAsync(page, app, email);
        var (pageId, slug, incidentId) = await SeedAsync(email, ct);

        await page.GotoAsync($"/status/{slug}/history");
        await AssertBrandedAsync(page, slug, headingText: "Incident history");
        await looks.EachAsync(page, "status-history-branded");

        await page.GotoAsync($"/status/{slug}/incidents/{incidentId}");
        await AssertBrandedAsync(page, slug, headingText: "Mail delayed");
        await looks.EachAsync(page, "status-incident-branded");

        // The same page behind a password: a stranger's password form is branded too (its logo answers before the password).
        await using (var scope = app.CreateScope(out var db))
        {
            var row = await db.StatusPages.SingleAsync(p => p.Id == pageId, ct);
            row.Visibility = StatusPageVisibility.Password;
            row.PasswordHash = new PasswordHasher<StatusPage>().HashPassword(row, "open sesame 42");
            await db.SaveChangesAsync(ct);
        }

        await using var strangerContext = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, Locale = "en-GB", ViewportSize = new() { Width = 1280, Height = 900 } });
        var stranger = await strangerContext.NewPageAsync();
        stranger.SetDefaultTimeout(45_000);
        await stranger.GotoAsync($"/status/{slug}/history");
        Assert.Contains($"/status/{slug}/unlock", stranger.Url, StringComparison.Ordinal);
        await AssertBrandedAsync(stranger, slug, headingText: "Acme Logistics");
        await looks.EachAsync(stranger, "status-unlock-branded");

        // The password opens the page; the sub-page still wears the brand.
        await stranger.FillAsync("#Password", "open sesame 42");
        await stranger.ClickAsync("#unlock");
        await stranger.WaitForURLAsync($"**/status/{slug}/history");
        await AssertBrandedAsync(stranger, slug, headingText: "Incident history");

        looks.AssertNone();
    }

    private static async Task AssertBrandedAsync(IPage page, string slug, string headingText)
    {
        var logo = page.Locator("#page-logo");
        Assert.Matches($"^/status/{slug}/logo-[0-9a-f]{{16}}\\.png$", await logo.GetAttributeAsync("src"));
        Assert.True(await logo.EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 240"), $"the logo should load on {page.Url}");
        var header = page.Locator("#page-header");
        Assert.Contains("accented", await header.GetAttributeAsync("class"), StringComparison.Ordinal);
        Assert.Equal("rgb(11, 93, 59)", await header.EvaluateAsync<string>("h => getComputedStyle(h).backgroundColor"));
        Assert.Equal("https://acme.example", (await page.Locator("#site-link").GetAttributeAsync("href"))?.TrimEnd('/'));
        Assert.Equal(headingText, (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal("Acme Logistics", (await page.Locator("#page-name").InnerTextAsync()).Trim());
    }

    private async Task<(int PageId, string Slug, int IncidentId)> SeedAsync(string email, CancellationToken ct)
    {
        await using var scope = app.CreateScope(out var db);
        var teamId = await db.TeamMembers.Where(m => m.User!.Email == email).Select(m => m.TeamId).SingleAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var mail = new Check
        {
            TeamId = teamId, Name = "Mail server", Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = "acme.example", Port = 25 }, State = CheckState.Up,
            LastCheckedAt = now.AddSeconds(-30), LastLatencyMs = 20, CreatedAt = now.AddDays(-10), NextRunAt = now.AddYears(1), LastPublicMessage = "Operational",
        };
        db.Checks.Add(mail);
        await db.SaveChangesAsync(ct);
        var logo = TestImages.Png(240, 80, (0xff, 0xc8, 0x3d));
        var slug = $"acme-{Guid.NewGuid():N}"[..16];
        var statusPage = new StatusPage
        {
            TeamId = teamId, Name = "Acme Logistics", Slug = slug, CreatedAt = now.AddDays(-10),
            LogoHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(logo))[..16], LogoContentType = "image/png", LogoWidth = 240, LogoHeight = 80,
            SiteUrl = "https://acme.example/", AccentColor = Accent,
            Checks = [new() { CheckId = mail.Id, SortOrder = 1 }],
        };
        db.StatusPages.Add(statusPage);
        await db.SaveChangesAsync(ct);
        db.StatusPageLogos.Add(new StatusPageLogo { StatusPageId = statusPage.Id, Content = logo });
        var incident = new Incident
        {
            TeamId = teamId, StatusPageId = statusPage.Id, Title = "Mail delayed", Status = IncidentStatus.Resolved, Impact = IncidentImpact.Minor,
            CreatedAt = now.AddDays(-2), ResolvedAt = now.AddDays(-2).AddMinutes(30), CheckId = mail.Id,
            Updates =
            [
                new() { Status = IncidentStatus.Investigating, Body = "Outgoing mail is queued; we are looking into it.", At = now.AddDays(-2) },
                new() { Status = IncidentStatus.Resolved, Body = "Mail flows again.", At = now.AddDays(-2).AddMinutes(30) },
            ],
            Components = [new() { CheckId = mail.Id, Status = ComponentStatus.Operational }],
        };
        db.Incidents.Add(incident);
        await db.SaveChangesAsync(ct);
        return (statusPage.Id, slug, incident.Id);
    }
}
