using System.Diagnostics;
using System.Net;
using AngleSharp.Html.Parser;
using Watchtower.Testing;
using Watchtower.Web.Infrastructure.Outage;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Resilience;

/// <summary>
/// The Web host on a PostgreSQL server of the test's own, which the test restarts and stops: no
/// request answers 500 (a restart kills every pooled connection; Npgsql clears the pool on the first
/// broken one and EF Core's retrying strategy runs the query again on a fresh one), the public page
/// answers 200 from its last reading while the database is away, owner pages a friendly 503 with
/// Retry-After, /health/ready says not ready, and everything works again within seconds of the start.
/// </summary>
public sealed class DatabaseOutageTests
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task Through_a_restart_and_an_outage_nothing_answers_500_the_public_page_stays_up_and_all_recovers_within_seconds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var postgres = await PrivatePostgres.StartAsync(ct);
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Store = TestStore.Postgres,
            PostgresConnectionString = await postgres.CreateDatabaseAsync(ct),
        }, ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var checkId = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail server", "mail.example.com", "25"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(pageId, "Acme", slug, checkId);
        using var visitor = app.CreateClient();
        var ownerPages = new[] { "/Dashboard", $"/Checks/{checkId}", $"/StatusPages/{pageId}/Edit" };

        // Warm: the public page has been read once (its last good reading), the pool holds connections.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(visitor, $"/status/{slug}")).Status);
        foreach (var url in ownerPages)
        {
            Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(url)).Status);
        }

        // 1. A restart while owners and readers keep asking.
        var answers = new List<(string Url, HttpStatusCode Status)>();
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            var load = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var url in ownerPages)
                    {
                        answers.Add((url, (await owner.GetAsync(url)).Status));
                    }

                    answers.Add(("public", (await GetAsync(visitor, $"/status/{slug}")).Status));
                }
            }, ct);
            await Task.Delay(300, ct);
            await postgres.RestartAsync(ct);
            await Task.Delay(300, ct);
            await stop.CancelAsync();
            await load;
        }

        TestContext.Current.TestOutputHelper?.WriteLine("During the restart: " + string.Join(", ",
            answers.GroupBy(a => (a.Url == "public" ? "public" : "owner", a.Status)).Select(g => $"{g.Key.Item1} {(int)g.Key.Status} ×{g.Count()}")));
        Assert.NotEmpty(answers);
        Assert.DoesNotContain(answers, a => (int)a.Status >= 500 && a.Status != HttpStatusCode.ServiceUnavailable);
        Assert.DoesNotContain(answers, a => a.Url == "public" && a.Status != HttpStatusCode.OK);

        // Every connection in the pool died with the restart: the first request after it still succeeds.
        foreach (var url in ownerPages)
        {
            Assert.Equal((url, HttpStatusCode.OK), (url, (await owner.GetAsync(url)).Status));
        }

        // 2. The database is away.
        var token = await owner.AntiforgeryTokenAsync("/Checks/Create"); // the form was open before
        await postgres.StopAsync("fast", ct);
        await Task.Delay(1100, ct); // the output cache keeps a page 1 s in tests: what follows reads the database
        var during = await Task.WhenAll(
            GetAsync(visitor, $"/status/{slug}"),
            GetAsync(visitor, $"/status/{slug}?x=1"),
            GetAsync(owner.Http, "/Dashboard"),
            GetAsync(owner.Http, $"/Checks/{checkId}"),
            GetAsync(visitor, "/health/ready"),
            GetAsync(visitor, "/Account/Login"));
        var (publicPage, anyQuery, dashboard, details, ready, login) = (during[0], during[1], during[2], during[3], during[4], during[5]);

        Assert.Equal(HttpStatusCode.OK, publicPage.Status);
        Assert.Equal("Acme", publicPage.Document.QuerySelector("#page-name")?.TextContent);
        Assert.Equal("Mail server", publicPage.Document.QuerySelector("#services .service .name")?.TextContent);
        Assert.Contains("We can't reach our database right now", publicPage.Document.QuerySelector("#stale-note")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(publicPage.Document.QuerySelector("#stale-note time[datetime]"));
        Assert.Equal(HttpStatusCode.OK, anyQuery.Status);

        foreach (var page in new[] { dashboard, details })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.Status);
            Assert.Equal(DatabaseOutagePage.Title, page.Document.QuerySelector("h1")?.TextContent);
            Assert.Equal("10", page.RetryAfter);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        // A page that needs no database still opens.
        Assert.Equal(HttpStatusCode.OK, login.Status);

        // A form sent meanwhile is refused the same friendly way, not lost in a 500.
        using (var form = new FormUrlEncodedContent(new Dictionary<string, string>(OwnerSteps.CheckForm("Redis", "redis.example.com", "6379"))
               {
                   ["__RequestVerificationToken"] = token,
               }))
        {
            using var refused = await owner.Http.PostAsync(new Uri("/Checks/Create", UriKind.Relative), form, ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        // 3. Back: owners are served again within seconds, the public page shows the live reading.
        await postgres.StartAgainAsync(ct);
        var back = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await GetAsync(owner.Http, "/Dashboard")).Status;
        }
        while (status != HttpStatusCode.OK && back.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, status);
        TestContext.Current.TestOutputHelper?.WriteLine($"The dashboard answered 200 {back.Elapsed.TotalSeconds:0.00} s after PostgreSQL started again");
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(5), $"the dashboard took {back.Elapsed.TotalSeconds:0.0} s to come back");
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(visitor, "/health/ready")).Status);
        await Task.Delay(1100, ct);
        var live = await GetAsync(visitor, $"/status/{slug}");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Null(live.Document.QuerySelector("#stale-note"));
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync("/Checks/Create", OwnerSteps.CheckForm("Redis", "redis.example.com", "6379"))).Status);
    }

    private sealed record Answer(HttpStatusCode Status, string? RetryAfter, AngleSharp.Html.Dom.IHtmlDocument Document);

    private static async Task<Answer> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Answer(response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), Parser.ParseDocument(body));
    }
}
