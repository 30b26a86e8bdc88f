using System.Net;
using AngleSharp.Html.Parser;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

/// <summary>
/// The public page is one cache entry per address: a query string or a Host header of the reader's
/// choosing neither bypasses the output cache nor costs a database query, and an owner's change
/// still shows at once. Queries are counted on the app's own context (<see cref="CommandProbe"/>).
/// </summary>
public sealed class StatusPageCacheTests
{
    [Fact]
    public async Task Made_up_query_strings_and_hosts_are_served_from_the_one_cache_entry_until_the_owner_changes_the_page()
    {
        var ct = TestContext.Current.CancellationToken;
        var probe = new CommandProbe();
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Store = TestStore.Postgres,
            ConfigureServices = probe.Install,
            // Long enough that no entry expires while the test runs: only eviction may renew it.
            Settings = new Dictionary<string, string?> { ["Watchtower:StatusPages:CacheSeconds"] = "600" },
        }, ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var checkId = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail server", "mail.example.com", "25"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(pageId, "Acme", slug, checkId);
        using var visitor = app.CreateClient();

        var before = probe.Count("FROM status_pages"); // the owner's own pages read it too
        var first = await GetAsync(visitor, $"/status/{slug}");
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(("Acme", "Mail server"), (first.Name, first.Services));
        var reads = probe.Count("FROM status_pages");
        Assert.Equal(before + 1, reads);

        string[] variants =
        [
            .. Enumerable.Range(1, 20).Select(i => $"/status/{slug}?x={i}"),
            $"/status/{slug}?utm_source=newsletter&utm_medium=email",
            $"/status/{slug}?",
            $"/status/{slug}?x=1&x=2&{new string('a', 500)}=b",
            $"/status/{slug.ToUpperInvariant()}",
        ];
        foreach (var url in variants)
        {
            var page = await GetAsync(visitor, url);
            Assert.Equal((HttpStatusCode.OK, "Acme", "Mail server"), (page.Status, page.Name, page.Services));
            Assert.True(reads == probe.Count("FROM status_pages"), url);
        }

        for (var i = 1; i <= 5; i++)
        {
            var page = await GetAsync(visitor, $"/status/{slug}", host: $"made-up-{i}.example");
            Assert.Equal((HttpStatusCode.OK, "Acme"), (page.Status, page.Name));
        }

        Assert.Equal(reads, probe.Count("FROM status_pages"));

        // The owner renames the page: the entry is evicted, the next reader (whatever the query) sees the new name, once.
        var saved = await owner.SetPageChecksAsync(pageId, "Acme Logistics", slug, checkId);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        reads = probe.Count("FROM status_pages");
        var renamed = await GetAsync(visitor, $"/status/{slug}?x=21");
        Assert.Equal("Acme Logistics", renamed.Name);
        Assert.Equal("Acme Logistics", (await GetAsync(visitor, $"/status/{slug}?x=22")).Name);
        Assert.Equal(reads + 1, probe.Count("FROM status_pages"));

        // A state change the owner makes (pause) evicts it too.
        var paused = await owner.PostFormAsync($"/Checks/{checkId}?handler=Pause", [], formPage: $"/Checks/{checkId}");
        Assert.Equal(HttpStatusCode.Redirect, paused.Status);
        reads = probe.Count("FROM status_pages");
        var after = await GetAsync(visitor, $"/status/{slug}?x=23");
        Assert.Equal("paused", after.Document.QuerySelector("#services .service")?.GetAttribute("data-state"));
        Assert.Equal(reads + 1, probe.Count("FROM status_pages"));
    }

    private sealed record Reading(HttpStatusCode Status, string Name, string Services, AngleSharp.Html.Dom.IHtmlDocument Document);

    private static async Task<Reading> GetAsync(HttpClient client, string url, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var document = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return new Reading(response.StatusCode, document.QuerySelector("#page-name")?.TextContent.Trim() ?? "",
            string.Join(" | ", document.QuerySelectorAll("#services .service .name").Select(e => e.TextContent.Trim())), document);
    }
}
