using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Browser;

/// <summary>
/// The public page with an active incident, maintenance and past incidents; an incident's permalink;
/// the history; and the owner's incident and maintenance pages and forms (with field messages) — at
/// 1280 and 390 px, light and dark, with no axe violation and no sideways scrolling. The public page
/// also without JavaScript. Screenshots go to TestResults/screenshots/pages under the test output.
/// </summary>
public sealed class IncidentPagesLookTests : IAsyncLifetime
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
    public async Task Public_and_owner_incident_pages_fit_a_phone_and_pass_axe_in_light_and_dark()
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, TimezoneId = "Europe/Berlin", Locale = "en-GB", ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(45_000);
        var email = OwnerClient.NewEmail();
        await BrowserSignUp.SignUpAsync(page, app, email);
        var (pageId, slug, active, maintenanceId) = await SeedAsync(email);

        await page.GotoAsync($"/status/{slug}");
        Assert.Equal("Partial outage", (await page.Locator("#overall").InnerTextAsync()).Trim());
        Assert.Contains("Under maintenance", await page.Locator("#services").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("UTC", await page.Locator("#active-incidents time").First.InnerTextAsync(), StringComparison.Ordinal); // rewritten into the reader's zone
        await looks.EachAsync(page, "status-incidents");

        await page.GotoAsync($"/status/{slug}/incidents/{active}");
        await looks.EachAsync(page, "status-incident");
        await page.GotoAsync($"/status/{slug}/history");
        await looks.EachAsync(page, "status-history");

        await page.GotoAsync($"/StatusPages/{pageId}/Incidents");
        await looks.EachAsync(page, "owner-incidents");
        await page.GotoAsync($"/Incidents/{active}");
        await looks.EachAsync(page, "owner-incident");
        await page.GotoAsync($"/Incidents/{active}/Edit");
        await looks.EachAsync(page, "owner-incident-edit");
        await page.GotoAsync($"/Incidents/Create?pageId={pageId}");
        await looks.EachAsync(page, "owner-incident-create");
        await page.FillAsync("#Input_Title", "");
        await page.ClickAsync("#incident-submit");
        await page.WaitForSelectorAsync("#title-error:not(:empty)");
        await looks.EachAsync(page, "owner-incident-create-errors");

        await page.GotoAsync($"/Maintenance/Create?pageId={pageId}");
        Assert.Equal("Europe/Berlin", await page.InputValueAsync("#Input_TimeZone")); // the owner's own zone, picked by maintenance.js
        await looks.EachAsync(page, "owner-maintenance-create");
        await page.FillAsync("#Input_EndsAt", "2020-01-01T10:00");
        await page.CheckAsync("#Input_Repeat"); // weekly, but on no day: its own message
        await page.ClickAsync("#maintenance-submit");
        await page.WaitForSelectorAsync("#ends-error:not(:empty)");
        Assert.Contains("Choose the days of the week", await page.InnerTextAsync("#days-error"), StringComparison.Ordinal);
        await looks.EachAsync(page, "owner-maintenance-create-errors");
        await page.GotoAsync($"/Maintenance/{maintenanceId}");
        await looks.EachAsync(page, "owner-maintenance");
        await page.GotoAsync($"/Maintenance/{maintenanceId}/Edit");
        await looks.EachAsync(page, "owner-maintenance-edit");

        // Without JavaScript the public page shows every state the server rendered.
        await using var plain = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, JavaScriptEnabled = false });
        var reader = await plain.NewPageAsync();
        await reader.GotoAsync($"/status/{slug}");
        var text = await reader.Locator("#live").InnerTextAsync();
        foreach (var expected in new[] { "Active incidents", "Mail delivery delayed", "Maintenance", "Under maintenance", "Past incidents", "SFTP slow", "UTC" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        looks.AssertNone();
    }

    private async Task<(int PageId, string Slug, int Active, int MaintenanceId)> SeedAsync(string email)
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
        var mail = Make("Mail server", 25, CheckState.Up);
        var database = Make("Customer database", 5432, CheckState.Up);
        var sftp = Make("SFTP", 22, CheckState.Up);
        db.Checks.AddRange(mail, database, sftp);
        await db.SaveChangesAsync(ct);
        var slug = $"acme-{Guid.NewGuid():N}"[..16];
        var statusPage = new StatusPage
        {
            TeamId = teamId, Name = "Acme Logistics", Slug = slug, Description = "Mail, files and the customer database.", CreatedAt = now.AddDays(-30),
            Checks = [new() { CheckId = mail.Id, SortOrder = 1 }, new() { CheckId = database.Id, SortOrder = 2 }, new() { CheckId = sftp.Id, SortOrder = 3 }],
        };
        db.StatusPages.Add(statusPage);
        await db.SaveChangesAsync(ct);

        var active = new Incident
        {
            TeamId = teamId, StatusPageId = statusPage.Id, Title = "Mail delivery delayed", Status = IncidentStatus.Identified, Impact = IncidentImpact.Major, CreatedAt = now.AddMinutes(-50),
            Updates =
            [
                new() { Status = IncidentStatus.Investigating, Body = "Some customers see **delayed** incoming mail. We are looking into it.", At = now.AddMinutes(-50) },
                new() { Status = IncidentStatus.Identified, Body = "A full disk on the mail relay.\n\n- queued mail is kept\n- delivery resumes once space is freed\n\nDetails: [relay notes](https://example.com/notes)", At = now.AddMinutes(-20) },
            ],
            Components = [new() { CheckId = mail.Id, Status = ComponentStatus.PartialOutage }],
        };
        var past = new Incident
        {
            TeamId = teamId, StatusPageId = statusPage.Id, Title = "SFTP slow", Status = IncidentStatus.Resolved, Impact = IncidentImpact.Minor, CreatedAt = now.AddDays(-2), ResolvedAt = now.AddDays(-2).AddHours(1),
            Automatic = true, CheckId = sftp.Id,
            Updates = [new() { Status = IncidentStatus.Investigating, Body = "No answer in time.", At = now.AddDays(-2) }, new() { Status = IncidentStatus.Resolved, Body = "This service is operating normally again.", At = now.AddDays(-2).AddHours(1) }],
            Components = [new() { CheckId = sftp.Id, Status = ComponentStatus.Operational }],
        };
        var inProgress = new Maintenance
        {
            TeamId = teamId, StatusPageId = statusPage.Id, Title = "Database upgrade", Body = "The customer database moves to **PostgreSQL 17**. Expect short interruptions.",
            StartsAt = now.AddMinutes(-10), EndsAt = now.AddHours(1), TimeZone = "Europe/Berlin", CreatedAt = now.AddDays(-1), Components = [new() { CheckId = database.Id }],
        };
        var upcoming = new Maintenance
        {
            TeamId = teamId, StatusPageId = statusPage.Id, Title = "Mail relay replacement", Body = "New hardware for the mail relay.",
            StartsAt = now.AddDays(3), EndsAt = now.AddDays(3).AddHours(2), TimeZone = "America/New_York", CreatedAt = now, Components = [new() { CheckId = mail.Id }],
        };
        db.Incidents.AddRange(active, past);
        db.Maintenances.AddRange(inProgress, upcoming);
        await db.SaveChangesAsync(ct);
        return (statusPage.Id, slug, active.Id, inProgress.Id);
    }
}
