using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

public abstract class DashboardTests(AppFixture fixture)
{
    [Fact]
    public async Task Each_page_shows_its_full_public_address_with_a_copy_button_on_the_dashboard_and_its_editor()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        var expected = $"http://localhost/status/{slug}"; // the test server's scheme and host

        var dashboard = await owner.GetAsync("/Dashboard");
        var link = dashboard.Document.QuerySelector($"tr[data-page-id='{pageId}'] a#public-url-{pageId}")!;
        Assert.Equal(expected, link.GetAttribute("href"));
        Assert.Equal(expected, link.TextContent.Trim());
        AssertCopyButton(dashboard, $"#public-url-{pageId}", "Acme");
        Assert.Equal($"/StatusPages/{pageId}/Edit", dashboard.Document.QuerySelector($"#edit-page-{pageId}")!.GetAttribute("href"));

        var edit = await owner.GetAsync($"/StatusPages/{pageId}/Edit");
        Assert.Equal(expected, edit.Document.QuerySelector("a#public-link")!.GetAttribute("href"));
        Assert.Equal(expected, edit.Text("a#public-link"));
        AssertCopyButton(edit, "#public-link", "Acme");
    }

    [Fact]
    public async Task The_state_column_says_what_a_check_is_doing_between_states()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var fresh = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Fresh", "fresh.example.com", "25"));
        var confirming = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Confirming", "confirming.example.com", "25"));
        var wobbling = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Wobbling", "wobbling.example.com", "25"));
        var recovering = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Recovering", "recovering.example.com", "25"));
        var down = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Settled down", "down.example.com", "25"));
        await using (var scope = app.CreateScope(out var db))
        {
            var at = DateTimeOffset.UtcNow.AddMinutes(-3);
            var checks = await db.Checks.Where(c => new[] { confirming, wobbling, recovering, down }.Contains(c.Id)).ToDictionaryAsync(c => c.Id, TestContext.Current.CancellationToken);
            Set(checks[confirming], CheckState.Pending, failures: 1, successes: 0, failureThreshold: 2, recoveryThreshold: 1, "Connection refused on port 25.");
            Set(checks[wobbling], CheckState.Up, failures: 1, successes: 0, failureThreshold: 3, recoveryThreshold: 1, "SMTP server did not greet within 5 s.");
            Set(checks[recovering], CheckState.Down, failures: 0, successes: 1, failureThreshold: 2, recoveryThreshold: 2, "SMTP server greeted.");
            Set(checks[down], CheckState.Down, failures: 4, successes: 0, failureThreshold: 2, recoveryThreshold: 2, "Connection refused on port 25.");
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);

            void Set(Check c, CheckState state, int failures, int successes, int failureThreshold, int recoveryThreshold, string message)
            {
                (c.State, c.ConsecutiveFailures, c.ConsecutiveSuccesses, c.FailureThreshold, c.RecoveryThreshold) = (state, failures, successes, failureThreshold, recoveryThreshold);
                (c.LastCheckedAt, c.LastMessage, c.LastLatencyMs) = (at, message, 12);
            }
        }

        var dashboard = await owner.GetAsync("/Dashboard");

        string State(int id) => dashboard.Text($"tr[data-check-id='{id}'] td.state > span");
        Assert.Equal("Waiting for the first result", State(fresh));
        Assert.Equal("Confirming (1 of 2 failures)", State(confirming));
        Assert.Equal("Operational | Confirming (1 of 3 failures)", State(wobbling));
        Assert.Equal("Down | Confirming recovery (1 of 2 successes)", State(recovering));
        Assert.Equal("Down", State(down));
        Assert.DoesNotContain("Pending", dashboard.Text("#checks-table"), StringComparison.Ordinal);
        Assert.Contains("Connection refused on port 25.", dashboard.Text($"tr[data-check-id='{confirming}'] td.message"), StringComparison.Ordinal);

        // Times: relative text from the server, the instant in UTC for time.js and for a title.
        var time = dashboard.Document.QuerySelector($"tr[data-check-id='{confirming}'] time")!;
        Assert.Equal("3 min ago", time.TextContent);
        Assert.EndsWith("Z", time.GetAttribute("datetime"), StringComparison.Ordinal);
        Assert.EndsWith(" UTC", time.GetAttribute("title"), StringComparison.Ordinal);
    }

    private static void AssertCopyButton(OwnerClient.Page page, string target, string pageName)
    {
        var button = page.Document.QuerySelector($"button.copy[data-copy='{target}']");
        Assert.NotNull(button);
        Assert.Equal("button", button.GetAttribute("type"));
        Assert.Equal($"Copy the public address of {pageName}", button.TextContent.Trim());
        Assert.Equal("Copy", button.QuerySelector(".copy-label")!.TextContent);
        // Shown by site.js only where the Clipboard API works; the address is a plain link meanwhile.
        Assert.True(button.HasAttribute("hidden"));
        Assert.NotNull(button.ParentElement!.QuerySelector("[role=status][data-copy-status]"));
    }
}

public sealed class DashboardTests_Sqlite(SqliteAppFixture fixture) : DashboardTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class DashboardTests_Postgres(PostgresAppFixture fixture) : DashboardTests(fixture), IClassFixture<PostgresAppFixture>;

/// <summary>Watchtower:PublicBaseUrl replaces the request's scheme and host in the addresses owners share.</summary>
public sealed class PublicBaseUrlTests
{
    [Fact]
    public async Task A_configured_public_base_url_is_the_address_shown()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?> { ["Watchtower:PublicBaseUrl"] = "https://status.example.com/" },
        }, TestContext.Current.CancellationToken);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);

        var dashboard = await owner.GetAsync("/Dashboard");
        var edit = await owner.GetAsync($"/StatusPages/{pageId}/Edit");

        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.Equal($"https://status.example.com/status/{slug}", dashboard.Text($"#public-url-{pageId}"));
        Assert.Equal($"https://status.example.com/status/{slug}", edit.Text("#public-link"));
    }

    [Fact]
    public async Task A_malformed_public_base_url_stops_start_up_with_a_message()
    {
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?> { ["Watchtower:PublicBaseUrl"] = "status.example.com" },
        }, TestContext.Current.CancellationToken);

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Watchtower:PublicBaseUrl must be an absolute http or https address", error.ToString(), StringComparison.Ordinal);
    }
}
