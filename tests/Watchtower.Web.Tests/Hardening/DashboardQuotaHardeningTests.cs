using Microsoft.Playwright;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.Tests.Browser;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Hardening;

/// <summary>
/// The dashboard says how much of this instance's allowance the current team uses — checks, status
/// pages, members (open invitations count against members) — from the operator's Watchtower:Quotas.
/// </summary>
public sealed class DashboardQuotaHardeningTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> Quotas = new()
    {
        ["Watchtower:Quotas:ChecksPerTeam"] = "7", ["Watchtower:Quotas:PagesPerTeam"] = "3", ["Watchtower:Quotas:MembersPerTeam"] = "4",
    };

    [Fact]
    public async Task The_dashboard_shows_what_the_current_team_holds_of_its_quotas()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions { Settings = Quotas }, Cancel);
        using var owner = await new OwnerClient(app).RegisterAsync();
        Assert.Equal("0 of 7 checks · 0 of 3 status pages · 1 of 4 members", await QuotaLineAsync(owner));

        await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail", "mail.example.com"));
        await owner.CreateCheckAsync(OwnerSteps.CheckForm("Database", "db.example.com", "5432"));
        await owner.CreatePageAsync("Acme");
        var invite = await owner.PostFormAsync("/Teams?handler=Invite", new() { ["Invite.Email"] = OwnerClient.NewEmail(), ["Invite.Role"] = "Viewer" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, invite.Status);
        Assert.Equal("2 of 7 checks · 1 of 3 status pages · 1 of 4 members (1 invited)", await QuotaLineAsync(owner));

        // Another team of the same person: its own counts, not the first team's.
        var created = await owner.PostFormAsync("/Teams/Create", new() { ["Name"] = "Side project" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, created.Status);
        Assert.Equal("0 of 7 checks · 0 of 3 status pages · 1 of 4 members", await QuotaLineAsync(owner));
    }

    /// <summary>The dashboard with its quota line in Chromium: 1280 and 390 px, light and dark, no axe violation, no sideways scroll.</summary>
    [Fact]
    public async Task The_quota_line_fits_a_phone_and_passes_axe()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions { Settings = Quotas }, Cancel);
        app.UseKestrel(0);
        app.StartServer();
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.ClientOptions.BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        var email = OwnerClient.NewEmail();
        await BrowserSignUp.SignUpAsync(page, app, email);
        await SeedAsync(app, email);

        await page.GotoAsync("/Dashboard");
        var looks = new PageLooks();
        await looks.EachAsync(page, "dashboard-quotas");

        Assert.Equal(["3 of 7 checks", "2 of 3 status pages", "1 of 4 members"], await page.Locator("#quotas li").AllInnerTextsAsync());
        Assert.True(await page.Locator("#quotas").IsVisibleAsync());
        looks.AssertNone();
    }

    private static async Task<string> QuotaLineAsync(OwnerClient owner)
    {
        var dashboard = await owner.GetAsync("/Dashboard");
        return string.Join(" · ", dashboard.Document.QuerySelectorAll("#quotas li").Select(li => li.TextContent.Trim()));
    }

    /// <summary>Three checks with long names and two pages, written straight to the database.</summary>
    private static async Task SeedAsync(WatchtowerApp app, string email)
    {
        await using var scope = app.CreateScope(out var db);
        var teamId = db.TeamMembers.Where(m => m.User!.Email == email).Select(m => m.TeamId).Single();
        var now = DateTimeOffset.UtcNow;
        foreach (var (name, host, port) in new[] { ("Mail server", "mail.acme-logistics.example", 25), ("Customer database", "db.acme-logistics.example", 5432), ("SFTP", "files.acme-logistics.example", 22) })
        {
            db.Checks.Add(new Check
            {
                TeamId = teamId, Name = name, Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = host, Port = port }, State = CheckState.Up,
                LastCheckedAt = now.AddSeconds(-30), LastLatencyMs = 21, LastMessage = "Connected.", CreatedAt = now, NextRunAt = now.AddYears(1),
            });
        }

        db.StatusPages.AddRange(
            new StatusPage { TeamId = teamId, Name = "Acme Logistics", Slug = OwnerSteps.UniqueSlug(), CreatedAt = now },
            new StatusPage { TeamId = teamId, Name = "Acme internal", Slug = OwnerSteps.UniqueSlug(), CreatedAt = now });
        await db.SaveChangesAsync(Cancel);
    }
}
