using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.Tests.Branding;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// The branded public page (logo uploaded through the owner's form, accent colour, link back, groups
/// folded and open) and the owner's look, domain and group forms, in Chromium at 1280 and 390 px,
/// light and dark, with no axe violation and no sideways scrolling. Groups open and close without
/// JavaScript (details/summary).
/// </summary>
public sealed class BrandingPagesLookTests : IAsyncLifetime
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
    public async Task Branded_public_page_and_owner_forms_fit_a_phone_and_pass_axe_in_light_and_dark()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, TimezoneId = "Europe/Berlin", Locale = "en-GB", ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(45_000);
        var email = OwnerClient.NewEmail();
        await BrowserSignUp.SignUpAsync(page, app, email);
        var (pageId, slug) = await SeedAsync(email);

        // The owner's look form: a logo file, a link, an accent — through the browser.
        await page.GotoAsync($"/StatusPages/{pageId}/Branding");
        await looks.EachAsync(page, "owner-branding");
        await page.SetInputFilesAsync("#Input_Logo", new FilePayload { Name = "acme.png", MimeType = "image/png", Buffer = Logo() });
        await page.FillAsync("#Input_SiteUrl", "javascript:alert(1)");
        await page.FillAsync("#Input_AccentColor", "#0b5d3b");
        await page.ClickAsync("#branding-save");
        await page.WaitForSelectorAsync("#site-error:not(:empty)");
        await looks.EachAsync(page, "owner-branding-errors");
        await page.SetInputFilesAsync("#Input_Logo", new FilePayload { Name = "acme.png", MimeType = "image/png", Buffer = Logo() });
        await page.FillAsync("#Input_SiteUrl", "https://acme.example");
        await page.ClickAsync("#branding-save");
        await page.WaitForURLAsync($"**/StatusPages/{pageId}/Branding");
        Assert.True(await page.Locator("#current-logo").IsVisibleAsync());

        await page.GotoAsync($"/StatusPages/{pageId}/Edit");
        await looks.EachAsync(page, "owner-page-edit-groups");
        await page.GotoAsync($"/StatusPages/{pageId}/Domain");
        await page.FillAsync("#Input_Domain", "status.acme.example");
        await page.ClickAsync("#domain-save");
        await page.WaitForSelectorAsync("#txt-value");
        await looks.EachAsync(page, "owner-domain");

        await page.GotoAsync($"/status/{slug}");
        Assert.True(await page.Locator("#page-logo").EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 240"));
        Assert.Equal("Partial outage", (await page.Locator("#overall").InnerTextAsync()).Trim());
        var mail = page.Locator("details.group", new() { HasText = "Email" });
        Assert.NotNull(await mail.GetAttributeAsync("open")); // a group with an outage opens by itself
        var data = page.Locator("details.group", new() { HasText = "Databases" });
        Assert.Null(await data.GetAttributeAsync("open"));
        await looks.EachAsync(page, "status-branded");
        await data.Locator(":scope > summary").ClickAsync(); // the group's own, not a service's chart
        Assert.NotNull(await data.GetAttributeAsync("open"));

        // Without JavaScript the groups still fold open.
        await using var plain = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, JavaScriptEnabled = false });
        var noScript = await plain.NewPageAsync();
        await noScript.GotoAsync($"/status/{slug}");
        var folded = noScript.Locator("details.group", new() { HasText = "Databases" });
        Assert.False(await folded.Locator(".service .name").First.IsVisibleAsync());
        await folded.Locator(":scope > summary").ClickAsync();
        Assert.True(await folded.Locator(".service .name").First.IsVisibleAsync());

        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.SetViewportSizeAsync(1280, 900);
        looks.AssertNone();
        _ = ct;
    }

    private static byte[] Logo() => TestImages.Png(240, 80, (0xff, 0xc8, 0x3d));

    private async Task<(int PageId, string Slug)> SeedAsync(string email)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = app.CreateScope(out var db);
        var teamId = await db.TeamMembers.Where(m => m.User!.Email == email).Select(m => m.TeamId).SingleAsync(ct);
        var now = DateTimeOffset.UtcNow;
        Check Make(string name, int port, CheckState state) => new()
        {
            TeamId = teamId, Name = name, Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = "acme.example", Port = port }, State = state, LastCheckedAt = now.AddSeconds(-30),
            LastLatencyMs = 20, CreatedAt = now.AddDays(-30), NextRunAt = now.AddYears(1), LastPublicMessage = state == CheckState.Down ? "Connection refused" : "Operational",
        };
        var web = Make("Website", 443, CheckState.Up);
        var smtp = Make("SMTP", 25, CheckState.Up);
        var imap = Make("IMAP", 993, CheckState.Down);
        var pg = Make("Customer database", 5432, CheckState.Up);
        var redis = Make("Cache", 6379, CheckState.Up);
        db.Checks.AddRange(web, smtp, imap, pg, redis);
        await db.SaveChangesAsync(ct);
        var email1 = new StatusPageGroup { Name = "Email", SortOrder = 1 };
        var data = new StatusPageGroup { Name = "Databases", SortOrder = 2 };
        var slug = $"acme-{Guid.NewGuid():N}"[..16];
        var statusPage = new StatusPage
        {
            TeamId = teamId, Name = "Acme Logistics", Slug = slug, Description = "Mail, files and the customer database.", CreatedAt = now.AddDays(-30),
            Groups = [email1, data],
        };
        db.StatusPages.Add(statusPage);
        await db.SaveChangesAsync(ct);
        statusPage.Checks.AddRange(
        [
            new() { CheckId = web.Id, SortOrder = 1 },
            new() { CheckId = smtp.Id, SortOrder = 2, GroupId = email1.Id },
            new() { CheckId = imap.Id, SortOrder = 3, GroupId = email1.Id },
            new() { CheckId = pg.Id, SortOrder = 4, GroupId = data.Id },
            new() { CheckId = redis.Id, SortOrder = 5, GroupId = data.Id },
        ]);
        await db.SaveChangesAsync(ct);
        return (statusPage.Id, slug);
    }
}
