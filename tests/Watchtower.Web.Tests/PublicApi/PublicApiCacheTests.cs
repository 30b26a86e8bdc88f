using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Watchtower.Testing;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.PublicApi;

/// <summary>
/// Feeds, badges, API and widget come from the output cache: repeated reads (whatever the query
/// string) cost no database query, an owner's incident evicts them and shows within 5 s, and a
/// made-up Host header cannot put its links into other readers' copies. Queries are counted on the
/// app's own context (<see cref="CommandProbe"/>). Entries live 600 s here, so only eviction renews them.
/// </summary>
public sealed class PublicApiCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Endpoints =
    [
        "api/v2/summary.json", "api/v2/status.json", "api/v2/components.json", "api/v2/incidents.json", "api/v2/incidents/unresolved.json",
        "api/v2/scheduled-maintenances.json", "api/v2/scheduled-maintenances/upcoming.json", "api/v2/scheduled-maintenances/active.json",
        "feed.atom", "feed.rss", "badge.svg", "uptime.svg", "uptime.svg?days=7", "widget",
    ];

    private static readonly string[] Fresh = ["api/v2/summary.json", "api/v2/incidents/unresolved.json", "feed.atom", "feed.rss", "widget"];

    [Fact]
    public async Task Repeated_reads_cost_no_query_and_a_posted_incident_is_in_the_json_and_feeds_within_5_seconds()
    {
        var probe = new CommandProbe();
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Store = TestStore.Postgres,
            ConfigureServices = probe.Install,
            Settings = new Dictionary<string, string?> { ["Watchtower:StatusPages:CacheSeconds"] = "600" },
        }, Ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var checkId = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail server"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(pageId, "Acme", slug, checkId);
        using var reader = app.CreateClient();
        var endpoints = Endpoints.Append($"components/{checkId}/badge.svg").Append($"components/{checkId}/uptime.svg?days=90").ToList();

        foreach (var endpoint in endpoints)
        {
            Assert.True((await reader.GetAsync(new Uri($"/status/{slug}/{endpoint}", UriKind.Relative), Ct)).StatusCode == HttpStatusCode.OK, endpoint);
        }

        var reads = probe.Count("FROM status_pages");
        var results = probe.Count("FROM check_results");
        for (var round = 0; round < 3; round++)
        {
            foreach (var endpoint in endpoints)
            {
                var url = $"/status/{slug.ToUpperInvariant()}/{endpoint}{(endpoint.Contains('?', StringComparison.Ordinal) ? "&" : "?")}utm_source=x{round}";
                Assert.True((await reader.GetAsync(new Uri(url, UriKind.Relative), Ct)).StatusCode == HttpStatusCode.OK, url);
            }
        }

        Assert.Equal((reads, results), (probe.Count("FROM status_pages"), probe.Count("FROM check_results")));

        // The owner posts an incident: the next reads of the JSON and both feeds show it, within 5 s.
        var clock = Stopwatch.StartNew();
        var form = new Dictionary<string, string>
        {
            ["pageId"] = pageId.ToString(CultureInfo.InvariantCulture),
            ["Input.Title"] = "Mail delayed",
            ["Input.Status"] = "Investigating",
            ["Input.Impact"] = "Minor",
            ["Input.Body"] = "Looking into it.",
            ["Input.Components[0].CheckId"] = checkId.ToString(CultureInfo.InvariantCulture),
            ["Input.Components[0].Affected"] = "true",
            ["Input.Components[0].Status"] = "DegradedPerformance",
        };
        var posted = await owner.PostFormAsync($"/Incidents/Create?pageId={pageId}", form);
        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        string[] seen = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            seen =
            [
                .. await Task.WhenAll(
                    Fresh.Select(e => reader.GetStringAsync(new Uri($"/status/{slug}/{e}", UriKind.Relative), Ct))),
            ];
            if (seen.All(s => s.Contains("Mail delayed", StringComparison.Ordinal) || s.Contains("Degraded performance", StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(100, Ct);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"not visible within 5 s: {clock.Elapsed}");
        TestContext.Current.TestOutputHelper?.WriteLine($"posted incident visible in JSON, feeds and widget after {clock.ElapsedMilliseconds} ms (post included)");
        var summary = JsonDocument.Parse(seen[0]).RootElement;
        Assert.Equal("minor", summary.GetProperty("status").GetProperty("indicator").GetString());
        Assert.Equal("degraded_performance", summary.GetProperty("components")[0].GetProperty("status").GetString());
        Assert.Contains("Mail delayed", seen[2], StringComparison.Ordinal);
        Assert.Contains("Mail delayed", seen[3], StringComparison.Ordinal);
        Assert.Contains("Degraded performance", seen[4], StringComparison.Ordinal);
        var (badge, _) = await PublicApiTests_Get(reader, $"/status/{slug}/badge.svg");
        Assert.Contains("status: degraded performance", Encoding.UTF8.GetString(badge), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_made_up_host_gets_its_own_entry_and_never_puts_its_links_in_other_readers_copies()
    {
        var probe = new CommandProbe();
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Store = TestStore.Postgres,
            ConfigureServices = probe.Install,
            Settings = new Dictionary<string, string?> { ["Watchtower:StatusPages:CacheSeconds"] = "600" },
        }, Ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        await owner.CreatePageAsync("Acme", slug);
        using var reader = app.CreateClient();

        var (poisoned, _) = await PublicApiTests_Get(reader, $"/status/{slug}/api/v2/status.json", "evil.example");
        Assert.Contains("http://evil.example/status/", Encoding.UTF8.GetString(poisoned), StringComparison.Ordinal);
        foreach (var endpoint in new[] { "api/v2/status.json", "feed.atom", "widget" })
        {
            var (body, _) = await PublicApiTests_Get(reader, $"/status/{slug}/{endpoint}");
            var text = Encoding.UTF8.GetString(body);
            Assert.DoesNotContain("evil.example", text, StringComparison.Ordinal);
            Assert.Contains($"http://localhost/status/{slug}", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_a_configured_public_address_links_use_it_and_any_host_is_served_the_one_cached_copy()
    {
        var probe = new CommandProbe();
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Store = TestStore.Postgres,
            ConfigureServices = probe.Install,
            Settings = new Dictionary<string, string?>
            {
                ["Watchtower:StatusPages:CacheSeconds"] = "600",
                ["Watchtower:PublicBaseUrl"] = "https://status.example.com",
            },
        }, Ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        await owner.CreatePageAsync("Acme", slug);
        using var reader = app.CreateClient();

        var (first, _) = await PublicApiTests_Get(reader, $"/status/{slug}/api/v2/summary.json");
        Assert.Equal($"https://status.example.com/status/{slug}", JsonDocument.Parse(first).RootElement.GetProperty("page").GetProperty("url").GetString());
        var reads = probe.Count("FROM status_pages");
        for (var i = 0; i < 5; i++)
        {
            var (body, _) = await PublicApiTests_Get(reader, $"/status/{slug}/api/v2/summary.json", $"made-up-{i}.example");
            Assert.Equal(first, body);
        }

        Assert.Equal(reads, probe.Count("FROM status_pages"));
    }

    private static async Task<(byte[] Body, HttpResponseMessage Response)> PublicApiTests_Get(HttpClient client, string url, string? host = null)
    {
        var (response, body) = await PublicApiTests.GetAsync(client, url, host is null ? null : r => r.Headers.Host = host);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        return (body, response);
    }
}
