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

    [Fact]
    public async Task Checks_come_fifty_to_a_page_with_state_counts_that_filter_and_plain_links_between_pages()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        await SeedAsync(app, owner.Email, 120);

        var first = await owner.GetAsync("/Dashboard");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(50, Rows(first).Count);
        Assert.Equal(("Check 001", "Check 050"), (Rows(first)[0], Rows(first)[^1]));
        Assert.Equal(["120 All", "7 Down", "5 Degraded", "90 Operational", "8 Paused", "10 Pending"], Counts(first));
        Assert.Equal("true", first.Document.QuerySelector("#count-all")!.GetAttribute("aria-current"));
        Assert.StartsWith("120 of ", first.Text("#quota-checks"), StringComparison.Ordinal);
        Assert.Equal("1–50 of 120 checks", first.Text("#checks-showing"));
        Assert.Equal("Page 1 of 3", first.Text("#page-of"));
        Assert.Null(first.Document.QuerySelector("#page-previous"));

        // Next, as a browser without JavaScript follows it.
        var second = await owner.GetAsync(Href(first, "#page-next"));
        Assert.Equal("/Dashboard?p=2", Href(first, "#page-next"));
        Assert.Equal(("Check 051", "Check 100"), (Rows(second)[0], Rows(second)[^1]));
        Assert.Equal("/Dashboard", Href(second, "#page-previous"));
        var last = await owner.GetAsync(Href(second, "#page-last"));
        Assert.Equal((20, "Page 3 of 3", "101–120 of 120 checks"), (Rows(last).Count, last.Text("#page-of"), last.Text("#checks-showing")));
        Assert.Null(last.Document.QuerySelector("#page-next"));
        // A page past the end shows the last one.
        Assert.Equal("Page 3 of 3", (await owner.GetAsync("/Dashboard?p=99")).Text("#page-of"));

        // A count is a link: only the down checks, and it says which filter is on.
        Assert.Equal("/Dashboard?state=down", Href(first, "#count-down"));
        var down = await owner.GetAsync(Href(first, "#count-down"));
        Assert.Equal(7, Rows(down).Count);
        Assert.All(down.Document.QuerySelectorAll("#checks-table td.state"), td => Assert.Equal("Down", td.TextContent.Trim()));
        Assert.Equal("true", down.Document.QuerySelector("#count-down")!.GetAttribute("aria-current"));
        Assert.Null(down.Document.QuerySelector("#pager"));

        // Kind and text: the counts count what they let through, and every link keeps them.
        var shops = await owner.GetAsync("/Dashboard?kind=http&q=SHOP");
        Assert.Equal(["12 All", "1 Down", "0 Degraded", "9 Operational", "1 Paused", "1 Pending"], Counts(shops));
        Assert.All(Rows(shops), name => Assert.Contains(name, ShopNames));
        Assert.Equal("/Dashboard?state=down&kind=http&q=SHOP", Href(shops, "#count-down"));
        Assert.Equal(("SHOP", "http"), (((AngleSharp.Html.Dom.IHtmlInputElement)shops.Document.QuerySelector("#q")!).Value,
            ((AngleSharp.Html.Dom.IHtmlSelectElement)shops.Document.QuerySelector("#kind")!).Value));
        Assert.StartsWith("120 of ", shops.Text("#quota-checks"), StringComparison.Ordinal); // the quota counts every check
        var byName = await owner.GetAsync("/Dashboard?q=check+11");
        Assert.Equal(Enumerable.Range(110, 10).Select(n => $"Check {n}"), Rows(byName));
        var byHost = await owner.GetAsync("/Dashboard?q=host-007.example");
        Assert.Equal(["Check 007"], Rows(byHost));
        var none = await owner.GetAsync("/Dashboard?q=nothing-like-this");
        Assert.Equal(("No checks match these filters.", "/Dashboard"), (none.Text("#checks-showing"), Href(none, "#clear-filters")));

        // Values that mean nothing show the whole list, not an error.
        var junk = await owner.GetAsync("/Dashboard?state=exploded&kind=ftp&p=-3&q=");
        Assert.Equal((HttpStatusCode.OK, 50, "Page 1 of 3"), (junk.Status, Rows(junk).Count, junk.Text("#page-of")));
    }

    [Fact]
    public async Task Five_thousand_checks_make_a_dashboard_of_one_page_of_fifty_under_200_KB_with_the_counts_of_all()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        await SeedAsync(app, owner.Email, 5000, wordy: true);

        var dashboard = await owner.GetAsync("/Dashboard");
        var bytes = System.Text.Encoding.UTF8.GetByteCount(dashboard.Body);
        TestContext.Current.TestOutputHelper?.WriteLine($"Dashboard of 5,000 checks ({app.Store}): {bytes:N0} bytes of HTML");

        Assert.Equal(HttpStatusCode.OK, dashboard.Status);
        Assert.True(bytes < 200 * 1024, $"the dashboard of 5,000 checks is {bytes:N0} bytes");
        Assert.Equal(50, Rows(dashboard).Count);
        Assert.Equal("1–50 of 5,000 checks", dashboard.Text("#checks-showing"));
        Assert.Equal("Page 1 of 100", dashboard.Text("#page-of"));
        Assert.Equal(["5,000 All", "7 Down", "5 Degraded", "4,970 Operational", "8 Paused", "10 Pending"], Counts(dashboard));
        Assert.StartsWith("5000 of ", dashboard.Text("#quota-checks"), StringComparison.Ordinal);

        // The last page and a narrow filter are as small.
        var last = await owner.GetAsync("/Dashboard?p=100");
        Assert.Equal(("Page 100 of 100", 50), (last.Text("#page-of"), Rows(last).Count));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(last.Body) < 200 * 1024);
        var down = await owner.GetAsync("/Dashboard?state=down&q=host-00");
        Assert.Equal(6, Rows(down).Count);
    }

    [Fact]
    public async Task A_location_that_no_worker_serves_is_named_while_the_team_has_running_checks_there()
    {
        // This app runs no engine: nothing serves the default location.
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        Assert.Null((await owner.GetAsync("/Dashboard")).Document.QuerySelector(".no-worker")); // no checks, nothing to warn of

        var checkId = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail server", "mail.example.com", "25"));
        var dashboard = await owner.GetAsync("/Dashboard");
        Assert.Equal("No worker is running for location default: its checks are not being run.", dashboard.Text("#no-worker-default"));
        Assert.Equal("status", dashboard.Document.QuerySelector("#no-worker-default")!.GetAttribute("role"));

        // Paused, its check needs no worker.
        var paused = await owner.PostFormAsync($"/Checks/{checkId}?handler=Pause", [], formPage: $"/Checks/{checkId}");
        Assert.Equal(HttpStatusCode.Redirect, paused.Status);
        Assert.Null((await owner.GetAsync("/Dashboard")).Document.QuerySelector(".no-worker"));
    }

    private static readonly string[] ShopNames = [.. Enumerable.Range(1, 120).Where(n => n % 10 == 0).Select(n => $"Check {n:000}")];

    private static List<string> Rows(OwnerClient.Page page) =>
        [.. page.Document.QuerySelectorAll("#checks-table tbody tr td.title a").Select(a => a.TextContent.Trim())];

    private static List<string> Counts(OwnerClient.Page page) =>
        [.. page.Document.QuerySelectorAll("#state-counts a").Select(a => string.Join(' ', a.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))];

    private static string Href(OwnerClient.Page page, string selector) =>
        System.Net.WebUtility.HtmlDecode(page.Document.QuerySelector(selector)?.GetAttribute("href") ?? throw new InvalidOperationException($"No {selector}"));

    /// <summary>
    /// <paramref name="count"/> checks named "Check 001"…, written straight to the database: every tenth an
    /// HTTP check of a shop URL, the others TCP on host-NNN.example; states spread over the five.
    /// <paramref name="wordy"/>: long names, URLs and a message on every check, as a busy team's look.
    /// </summary>
    internal static async Task SeedAsync(WatchtowerApp app, string email, int count, bool wordy = false)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = app.CreateScope(out var db);
        var teamId = await db.TeamMembers.Where(m => m.User!.Email == email).Select(m => m.TeamId).SingleAsync(ct);
        var now = DateTimeOffset.UtcNow;
        for (var from = 1; from <= count; from += 1000)
        {
            db.Checks.AddRange(Enumerable.Range(from, Math.Min(1000, count - from + 1)).Select(n => new Check
            {
                TeamId = teamId,
                Name = wordy ? $"Check {n:000} · order intake and payment gateway of the EU web shop" : $"Check {n:000}",
                Settings = n % 10 == 0
                    ? new Watchtower.Probes.Http.HttpSettings { Url = wordy ? $"https://shop-{n}.example.com/api/v2/health/ready?region=eu-central-1&deep=true" : $"https://shop-{n}.example.com/health" }
                    : new Watchtower.Probes.Tcp.TcpSettings { Host = $"host-{n:000}.example", Port = 25 },
                State = StateOf(n),
                Enabled = StateOf(n) != CheckState.Paused,
                LastCheckedAt = StateOf(n) == CheckState.Pending ? null : now.AddSeconds(-n),
                LastLatencyMs = StateOf(n) == CheckState.Pending ? null : 10 + (n % 300),
                LastMessage = StateOf(n) == CheckState.Down ? "Connection refused on port 25."
                    : wordy && StateOf(n) != CheckState.Pending ? "Connected in 12 ms; the server greeted with 220 mail.example.com ESMTP Postfix (Debian/GNU) ready." : null,
                CreatedAt = now,
                NextRunAt = now.AddYears(1),
            }));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Of 120: 7 down, 5 degraded, 8 paused, 10 pending, 90 up; of the twelve shops (every tenth) one down, one paused, one pending.</summary>
    private static CheckState StateOf(int n) => n switch
    {
        (>= 1 and <= 6) or 10 => CheckState.Down,
        >= 11 and <= 15 => CheckState.Degraded,
        (>= 21 and <= 27) or 20 => CheckState.Paused,
        (>= 31 and <= 39) or 30 => CheckState.Pending,
        _ => CheckState.Up,
    };

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

/// <summary>With a worker serving the default location (this host runs the engine), only the other locations are named.</summary>
public sealed class DashboardWorkerTests
{
    [Fact]
    public async Task Only_the_location_without_a_live_worker_is_named()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions { RunEngine = true }, ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        await using var listener = new LoopbackListener();
        await owner.CreateCheckAsync(OwnerSteps.CheckForm("Local", "127.0.0.1", listener.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using (var scope = app.CreateScope(out var db))
        {
            var check = await db.Checks.SingleAsync(c => c.Name == "Local", ct);
            db.Checks.Add(new Check
            {
                TeamId = check.TeamId, Name = "Frankfurt", Settings = new Watchtower.Probes.Tcp.TcpSettings { Host = "127.0.0.1", Port = listener.Port },
                Location = "eu-west", CreatedAt = DateTimeOffset.UtcNow, NextRunAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(ct);
        }

        // The Hangfire server announces itself when it starts: the default location is live from then on.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        OwnerClient.Page dashboard;
        do
        {
            dashboard = await owner.GetAsync("/Dashboard");
        }
        while (dashboard.Document.QuerySelector("#no-worker-default") is not null && waited.Elapsed < TimeSpan.FromSeconds(15) && await Delay(ct));

        Assert.Null(dashboard.Document.QuerySelector("#no-worker-default"));
        Assert.Equal("No worker is running for location eu-west: its checks are not being run.", dashboard.Text("#no-worker-eu-west"));
        Assert.Single(dashboard.Document.QuerySelectorAll(".no-worker"));
    }

    private static async Task<bool> Delay(CancellationToken ct)
    {
        await Task.Delay(200, ct);
        return true;
    }
}
