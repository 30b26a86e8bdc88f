using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.PublicApi;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.PublicApi;

/// <summary>
/// A public page's feeds, badges, Statuspage v2 API and widget through the real app, signed out, on
/// both stores: shapes held to Statuspage's published examples, feeds parsed back by the Syndication
/// reader and checked for the elements their specs require, badges parsed as SVG.
/// </summary>
public abstract class PublicApiTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal sealed record World(OwnerClient Owner, HttpClient Reader, int PageId, string Slug, int CheckId, int OtherCheckId) : IDisposable
    {
        public void Dispose()
        {
            Owner.Dispose();
            Reader.Dispose();
        }
    }

    private async Task<World> WorldAsync(string checkName = "Mail server")
    {
        var app = await fixture.UseAsync();
        var owner = await new OwnerClient(app).RegisterAsync();
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm(checkName));
        var other = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Not on the page"));
        var slug = OwnerSteps.UniqueSlug();
        var page = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(page, "Acme", slug, check);
        var reader = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return new World(owner, reader, page, slug, check, other);
    }

    internal static async Task<int> PostIncidentAsync(World w, string title = "Mail delayed", string body = "We are **looking** into it.", string impact = "Major")
    {
        var form = new Dictionary<string, string>
        {
            ["pageId"] = w.PageId.ToString(CultureInfo.InvariantCulture),
            ["Input.Title"] = title,
            ["Input.Status"] = "Investigating",
            ["Input.Impact"] = impact,
            ["Input.Body"] = body,
            ["Input.Components[0].CheckId"] = w.CheckId.ToString(CultureInfo.InvariantCulture),
            ["Input.Components[0].Affected"] = "true",
            ["Input.Components[0].Status"] = "PartialOutage",
        };
        var page = await w.Owner.PostFormAsync($"/Incidents/Create?pageId={w.PageId}", form);
        Assert.True(page.Status == HttpStatusCode.Redirect, $"{page.Status}: {page.Text(".field-error, .errors")}");
        return page.IdFromLocation();
    }

    private async Task<int> PostMaintenanceAsync(World w, DateTime startsUtc)
    {
        var page = await w.Owner.PostFormAsync($"/Maintenance/Create?pageId={w.PageId}", new()
        {
            ["pageId"] = w.PageId.ToString(CultureInfo.InvariantCulture),
            ["Input.Title"] = "Database upgrade",
            ["Input.Body"] = "Expect *short* interruptions.",
            ["Input.StartsAt"] = startsUtc.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            ["Input.EndsAt"] = startsUtc.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            ["Input.TimeZone"] = "Etc/UTC",
            ["Input.AutoStartEnd"] = "true",
            ["Input.CheckIds"] = w.CheckId.ToString(CultureInfo.InvariantCulture),
        });
        Assert.True(page.Status == HttpStatusCode.Redirect, page.Text(".field-error"));
        await using var scope = (await fixture.UseAsync()).CreateScope(out var db);
        return await db.Maintenances.Where(m => m.StatusPageId == w.PageId).OrderByDescending(m => m.Id).Select(m => m.Id).FirstAsync(Ct);
    }

    internal static async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(HttpClient client, string url, Action<HttpRequestMessage>? setup = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url, UriKind.Relative));
        setup?.Invoke(request);
        var response = await client.SendAsync(request, Ct);
        return (response, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    private static async Task<JsonElement> JsonAsync(World w, string path)
    {
        var (response, body) = await GetAsync(w.Reader, $"/status/{w.Slug}/api/v2/{path}", r => r.Headers.Add("Origin", "https://dashboard.example"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Every_statuspage_endpoint_has_the_shape_and_enumerations_of_statuspages_published_examples()
    {
        using var w = await WorldAsync();
        var incident = await PostIncidentAsync(w);
        var maintenance = await PostMaintenanceAsync(w, DateTime.UtcNow.Date.AddDays(3).AddHours(2));

        var problems = new List<string>();
        var answers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (path, example) in StatuspageExamples.ByPath)
        {
            answers[path] = await JsonAsync(w, path);
            StatuspageExamples.AssertSameShape(JsonDocument.Parse(example).RootElement, answers[path], path, problems);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        var summary = answers["summary.json"];
        var page = summary.GetProperty("page");
        Assert.Equal((w.PageId.ToString(CultureInfo.InvariantCulture), "Acme", $"http://localhost/status/{w.Slug}", "Etc/UTC"),
            (page.GetProperty("id").GetString(), page.GetProperty("name").GetString(), page.GetProperty("url").GetString(), page.GetProperty("time_zone").GetString()));
        var component = Assert.Single(summary.GetProperty("components").EnumerateArray());
        Assert.Equal((w.CheckId.ToString(CultureInfo.InvariantCulture), "Mail server", "partial_outage", 1),
            (component.GetProperty("id").GetString(), component.GetProperty("name").GetString(), component.GetProperty("status").GetString(), component.GetProperty("position").GetInt32()));
        Assert.Equal(("major", "Partial System Outage"), (summary.GetProperty("status").GetProperty("indicator").GetString(), summary.GetProperty("status").GetProperty("description").GetString()));

        var open = Assert.Single(summary.GetProperty("incidents").EnumerateArray());
        Assert.Equal((incident.ToString(CultureInfo.InvariantCulture), "Mail delayed", "investigating", "major"),
            (open.GetProperty("id").GetString(), open.GetProperty("name").GetString(), open.GetProperty("status").GetString(), open.GetProperty("impact").GetString()));
        Assert.Equal($"http://localhost/status/{w.Slug}/incidents/{incident}", open.GetProperty("shortlink").GetString());
        var update = Assert.Single(open.GetProperty("incident_updates").EnumerateArray());
        Assert.Equal(("investigating", "We are **looking** into it."), (update.GetProperty("status").GetString(), update.GetProperty("body").GetString()));
        Assert.Equal("Mail server", Assert.Single(open.GetProperty("components").EnumerateArray()).GetProperty("name").GetString());

        var window = Assert.Single(summary.GetProperty("scheduled_maintenances").EnumerateArray());
        Assert.Equal(($"m{maintenance}", "scheduled", "maintenance"), (window.GetProperty("id").GetString(), window.GetProperty("status").GetString(), window.GetProperty("impact").GetString()));
        Assert.Equal(DateTime.UtcNow.Date.AddDays(3).AddHours(2), window.GetProperty("scheduled_for").GetDateTimeOffset().UtcDateTime);
        Assert.Single(answers["scheduled-maintenances/upcoming.json"].GetProperty("scheduled_maintenances").EnumerateArray());
        Assert.Empty(answers["scheduled-maintenances/active.json"].GetProperty("scheduled_maintenances").EnumerateArray());
        Assert.Single(answers["incidents/unresolved.json"].GetProperty("incidents").EnumerateArray());

        // Every enumerated value is one of Statuspage's.
        foreach (var (path, answer) in answers)
        {
            foreach (var (field, value) in Walk(answer).Where(f => StatuspageExamples.Enumerations.ContainsKey(f.Field)))
            {
                Assert.True(StatuspageExamples.Enumerations[field].Contains(value), $"{path}: {field} = {value}");
            }
        }

        foreach (var c in Array(answers["components.json"], "components"))
        {
            Assert.Contains(c.GetProperty("status").GetString(), StatuspageExamples.ComponentStatuses);
        }

        foreach (var i in Array(answers["incidents.json"], "incidents"))
        {
            Assert.Contains(i.GetProperty("status").GetString(), StatuspageExamples.IncidentStatuses);
            Assert.All(Array(i, "incident_updates"), u => Assert.Contains(u.GetProperty("status").GetString(), StatuspageExamples.IncidentStatuses));
        }

        foreach (var m in Array(answers["scheduled-maintenances.json"], "scheduled_maintenances"))
        {
            Assert.Contains(m.GetProperty("status").GetString(), StatuspageExamples.MaintenanceStatuses);
        }

        // The owner starts the window and resolves the incident: active holds it, unresolved is empty, the indicator follows.
        Assert.Equal(HttpStatusCode.Redirect, (await w.Owner.PostFormAsync($"/Maintenance/{maintenance}?handler=Start", [], $"/Maintenance/{maintenance}")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await w.Owner.PostFormAsync($"/Incidents/{incident}", new() { ["Update.Status"] = "Resolved", ["Update.Body"] = "Mail flows again." })).Status);
        var active = await JsonAsync(w, "scheduled-maintenances/active.json");
        Assert.Equal("in_progress", Assert.Single(Array(active, "scheduled_maintenances")).GetProperty("status").GetString());
        Assert.Empty(Array(await JsonAsync(w, "scheduled-maintenances/upcoming.json"), "scheduled_maintenances"));
        Assert.Empty(Array(await JsonAsync(w, "incidents/unresolved.json"), "incidents"));
        var resolved = Assert.Single(Array(await JsonAsync(w, "incidents.json"), "incidents"));
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, resolved.GetProperty("resolved_at").ValueKind);
        Assert.Equal(2, resolved.GetProperty("incident_updates").GetArrayLength());
        var status = await JsonAsync(w, "status.json");
        Assert.Equal(("maintenance", "Service Under Maintenance"), (status.GetProperty("status").GetProperty("indicator").GetString(), status.GetProperty("status").GetProperty("description").GetString()));
        Assert.Equal("under_maintenance", Assert.Single(Array(await JsonAsync(w, "components.json"), "components")).GetProperty("status").GetString());
    }

    private static List<JsonElement> Array(JsonElement parent, string name) => [.. parent.GetProperty(name).EnumerateArray()];

    private static IEnumerable<(string Field, string Value)> Walk(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in element.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.String)
                {
                    yield return (p.Name, p.Value.GetString() ?? "");
                }

                foreach (var inner in Walk(p.Value))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var inner in element.EnumerateArray().SelectMany(Walk))
            {
                yield return inner;
            }
        }
    }

    [Fact]
    public async Task Atom_and_rss_feeds_parse_back_with_the_elements_their_specs_require_and_absolute_permalinks()
    {
        using var w = await WorldAsync();
        var incident = await PostIncidentAsync(w, body: "<script>alert(1)</script> [x](javascript:alert(1)) **bold**");
        var maintenance = await PostMaintenanceAsync(w, DateTime.UtcNow.Date.AddDays(2));
        var permalink = $"http://localhost/status/{w.Slug}/incidents/{incident}";

        var (atomResponse, atomBytes) = await GetAsync(w.Reader, $"/status/{w.Slug}/feed.atom");
        Assert.Equal(HttpStatusCode.OK, atomResponse.StatusCode);
        Assert.Equal("application/atom+xml", atomResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", atomResponse.Content.Headers.ContentType?.CharSet);
        using (var reader = XmlReader.Create(new MemoryStream(atomBytes)))
        {
            var feed = SyndicationFeed.Load(reader);
            Assert.Equal("Acme status", feed.Title.Text);
            Assert.Equal(2, feed.Items.Count());
            var entry = feed.Items.Single(i => i.Id == permalink);
            Assert.Equal(permalink, entry.Links.Single(l => l.RelationshipType is null or "alternate").Uri.AbsoluteUri);
            Assert.Equal("Investigating: Mail delayed", entry.Title.Text);
            var html = ((TextSyndicationContent)entry.Content).Text;
            Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(feed.Items, i => i.Id == $"http://localhost/status/{w.Slug}#maintenance-{maintenance}");
        }

        // RFC 4287: feed id, title, updated; an author (feed-wide here); a self link; each entry id, title, updated, an alternate link.
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var atomDoc = XDocument.Load(new MemoryStream(atomBytes));
        var root = atomDoc.Root!;
        Assert.Equal(atom + "feed", root.Name);
        Assert.Equal($"http://localhost/status/{w.Slug}", root.Element(atom + "id")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(root.Element(atom + "title")?.Value));
        Assert.True(DateTimeOffset.TryParse(root.Element(atom + "updated")?.Value, CultureInfo.InvariantCulture, out _));
        Assert.Equal("Acme", root.Element(atom + "author")?.Element(atom + "name")?.Value);
        Assert.Equal($"http://localhost/status/{w.Slug}/feed.atom", root.Elements(atom + "link").Single(l => (string?)l.Attribute("rel") == "self").Attribute("href")?.Value);
        foreach (var entry in root.Elements(atom + "entry"))
        {
            Assert.True(Uri.IsWellFormedUriString(entry.Element(atom + "id")?.Value, UriKind.Absolute));
            Assert.False(string.IsNullOrWhiteSpace(entry.Element(atom + "title")?.Value));
            Assert.True(DateTimeOffset.TryParse(entry.Element(atom + "updated")?.Value, CultureInfo.InvariantCulture, out _));
            Assert.StartsWith("http://localhost/status/", entry.Elements(atom + "link").Single(l => (string?)l.Attribute("rel") is null or "alternate").Attribute("href")?.Value, StringComparison.Ordinal);
            Assert.Equal("html", (string?)entry.Element(atom + "content")?.Attribute("type"));
        }

        var (rssResponse, rssBytes) = await GetAsync(w.Reader, $"/status/{w.Slug}/feed.rss");
        Assert.Equal(HttpStatusCode.OK, rssResponse.StatusCode);
        Assert.Equal("application/rss+xml", rssResponse.Content.Headers.ContentType?.MediaType);
        using (var reader = XmlReader.Create(new MemoryStream(rssBytes)))
        {
            var feed = SyndicationFeed.Load(reader);
            Assert.Equal("Acme status", feed.Title.Text);
            Assert.Contains(feed.Items, i => i.Id == permalink && i.Links.Any(l => l.Uri.AbsoluteUri == permalink));
        }

        // RSS 2.0: channel title, link, description; every item a guid, and a title or description.
        var rss = XDocument.Load(new MemoryStream(rssBytes)).Root!;
        Assert.Equal(("rss", "2.0"), (rss.Name.LocalName, (string?)rss.Attribute("version")));
        var channel = rss.Element("channel")!;
        Assert.Equal("Acme status", channel.Element("title")?.Value);
        Assert.Equal($"http://localhost/status/{w.Slug}", channel.Element("link")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(channel.Element("description")?.Value));
        var items = channel.Elements("item").ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, item =>
        {
            Assert.False(string.IsNullOrWhiteSpace(item.Element("guid")?.Value));
            Assert.False(string.IsNullOrWhiteSpace(item.Element("title")?.Value));
            Assert.True(DateTimeOffset.TryParse(item.Element("pubDate")?.Value, CultureInfo.InvariantCulture, out _), item.Element("pubDate")?.Value);
        });
        var item = items.Single(i => i.Element("link")?.Value == permalink && i.Element("guid")?.Value == permalink);
        Assert.Contains("<strong>bold</strong>", item.Element("description")?.Value, StringComparison.Ordinal); // the HTML, for readers that show only the description
        Assert.DoesNotContain("<script", item.Element("description")?.Value, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(w.Reader, "/status/no-such-page-here/feed.atom")).Response.StatusCode);
    }

    [Fact]
    public async Task Badges_are_accessible_svg_laid_out_by_their_text_with_cache_headers_and_an_etag()
    {
        using var w = await WorldAsync("Mail <b>&amp; \"IMAP\"");
        var urls = new[]
        {
            $"/status/{w.Slug}/badge.svg", $"/status/{w.Slug}/uptime.svg", $"/status/{w.Slug}/uptime.svg?days=7",
            $"/status/{w.Slug}/components/{w.CheckId}/badge.svg", $"/status/{w.Slug}/components/{w.CheckId}/uptime.svg?days=90",
        };
        foreach (var url in urls)
        {
            var (response, body) = await GetAsync(w.Reader, url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, url);
            Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.CacheControl?.MaxAge);
            Assert.True(response.Headers.CacheControl?.Public);
            var etag = response.Headers.ETag;
            Assert.NotNull(etag);
            Assert.False(etag.IsWeak);

            var svg = AssertBadge(body, url);
            var (again, _) = await GetAsync(w.Reader, url, r => r.Headers.IfNoneMatch.Add(etag));
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.NotNull(svg);
        }

        var component = AssertBadge((await GetAsync(w.Reader, $"/status/{w.Slug}/components/{w.CheckId}/badge.svg")).Body, "component");
        XNamespace s = "http://www.w3.org/2000/svg";
        Assert.Equal("Mail <b>&amp; \"IMAP\": pending", component.Element(s + "title")?.Value);
        Assert.Equal("status: unknown", AssertBadge((await GetAsync(w.Reader, $"/status/{w.Slug}/badge.svg")).Body, "page").Attribute("aria-label")?.Value);

        // A check the owner confirms down through an incident: the badges follow what the page shows.
        await PostIncidentAsync(w);
        Assert.Equal("Mail <b>&amp; \"IMAP\": partial outage", AssertBadge((await GetAsync(w.Reader, $"/status/{w.Slug}/components/{w.CheckId}/badge.svg")).Body, "component").Attribute("aria-label")?.Value);
        Assert.Equal("status: partial outage", AssertBadge((await GetAsync(w.Reader, $"/status/{w.Slug}/badge.svg")).Body, "page").Attribute("aria-label")?.Value);
    }

    /// <summary>Parses a badge as SVG and checks its layout: widths from the text, a title and aria-label, role img.</summary>
    internal static XElement AssertBadge(byte[] body, string what)
    {
        XNamespace s = "http://www.w3.org/2000/svg";
        var svg = XDocument.Load(new MemoryStream(body)).Root!;
        Assert.Equal(s + "svg", svg.Name);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        var label = (string?)svg.Attribute("aria-label");
        Assert.False(string.IsNullOrWhiteSpace(label), what);
        Assert.Equal(label, svg.Element(s + "title")?.Value);
        Assert.Equal("20", (string?)svg.Attribute("height"));

        var rects = svg.Element(s + "g")!.Elements(s + "rect").ToList();
        var width = double.Parse((string)svg.Attribute("width")!, CultureInfo.InvariantCulture);
        var left = double.Parse((string)rects[0].Attribute("width")!, CultureInfo.InvariantCulture);
        var right = double.Parse((string)rects[1].Attribute("width")!, CultureInfo.InvariantCulture);
        Assert.Equal(width, left + right, 1);
        Assert.Equal(left, double.Parse((string)rects[1].Attribute("x")!, CultureInfo.InvariantCulture), 1);

        var texts = svg.Elements(s + "g").Last().Elements(s + "text").Where(t => (string?)t.Attribute("aria-hidden") != "true").ToList();
        Assert.Equal(2, texts.Count);
        Assert.Equal(label, $"{texts[0].Value}: {texts[1].Value}");
        foreach (var (text, box, start) in new[] { (texts[0], left, 0.0), (texts[1], right, left) })
        {
            var textWidth = Math.Ceiling(BadgeFont.Width(text.Value));
            Assert.Equal(textWidth * 10, double.Parse((string)text.Attribute("textLength")!, CultureInfo.InvariantCulture), 1);
            Assert.Equal(textWidth + 10, box, 1); // 5 px either side, as shields lays it out
            Assert.Equal((start + (box / 2)) * 10, double.Parse((string)text.Attribute("x")!, CultureInfo.InvariantCulture), 1);
        }

        return svg;
    }

    [Fact]
    public async Task Text_widths_follow_the_fonts_advances()
    {
        await Task.CompletedTask;
        // Digits are 7 px at 11 px in Verdana and in DejaVu Sans; "i" and "l" are narrow, "m" and "W" wide.
        Assert.Equal(70, BadgeFont.Width("0123456789"), 2);
        Assert.True(BadgeFont.Width("iiii") < BadgeFont.Width("mmmm") / 2);
        Assert.Equal(BadgeFont.Width("status") + BadgeFont.Width(": "), BadgeFont.Width("status: "), 6);
        Assert.Equal(11, BadgeFont.Width("状"), 2); // a CJK ideograph: a full em
        Assert.True(BadgeFont.Width("é") > 6 && BadgeFont.Width("é") < 8);
    }

    [Fact]
    public async Task Uptime_badges_show_time_up_over_time_observed_less_maintenance_from_the_rollups_and_bad_days_are_a_400_with_the_allowed_values()
    {
        using var w = await WorldAsync();
        await using (var scope = (await fixture.UseAsync()).CreateScope(out var db))
        {
            const long Hour = 3_600_000;
            var now = DateTimeOffset.UtcNow;
            var thisHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
            var today = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero);
            // The last 24 hours (hourly rows): 8 hours observed, one of them down, one degraded (counts as up): 87.50 %.
            CheckState[] lastHours = [CheckState.Up, CheckState.Up, CheckState.Degraded, CheckState.Down, CheckState.Up, CheckState.Up, CheckState.Up, CheckState.Up];
            for (var i = 0; i < lastHours.Length; i++)
            {
                db.HourlyRollups.Add(new CheckHourlyRollup
                {
                    CheckId = w.CheckId, Start = thisHour.AddHours(-i - 1), ObservedMs = Hour,
                    UpMs = lastHours[i] == CheckState.Up ? Hour : 0, DegradedMs = lastHours[i] == CheckState.Degraded ? Hour : 0, DownMs = lastHours[i] == CheckState.Down ? Hour : 0,
                });
            }

            // Days (daily rows): today the same 8 hours; ten days ago 2 hours down (outside 1 and 7 days, inside 30 and 90);
            // twenty days ago 5 hours all in maintenance (left out: not observed time).
            db.DailyRollups.Add(new CheckDailyRollup { CheckId = w.CheckId, Start = today, ObservedMs = 8 * Hour, UpMs = 6 * Hour, DegradedMs = Hour, DownMs = Hour });
            db.DailyRollups.Add(new CheckDailyRollup { CheckId = w.CheckId, Start = today.AddDays(-10), ObservedMs = 2 * Hour, DownMs = 2 * Hour });
            db.DailyRollups.Add(new CheckDailyRollup { CheckId = w.CheckId, Start = today.AddDays(-20), ObservedMs = 5 * Hour, DownMs = 5 * Hour, MaintenanceMs = 5 * Hour });
            // Another check's history does not count.
            db.DailyRollups.Add(new CheckDailyRollup { CheckId = w.OtherCheckId, Start = today, ObservedMs = Hour, DownMs = Hour });
            db.HourlyRollups.Add(new CheckHourlyRollup { CheckId = w.OtherCheckId, Start = thisHour.AddHours(-1), ObservedMs = Hour, DownMs = Hour });
            await db.SaveChangesAsync(Ct);
        }

        async Task<string?> Label(string url) => AssertBadge((await GetAsync(w.Reader, url)).Body, url).Attribute("aria-label")?.Value;
        Assert.Equal("uptime 24h: 87.50%", await Label($"/status/{w.Slug}/uptime.svg?days=1"));
        Assert.Equal("uptime 7d: 87.50%", await Label($"/status/{w.Slug}/uptime.svg?days=7"));
        Assert.Equal("uptime 30d: 70.00%", await Label($"/status/{w.Slug}/uptime.svg?days=30"));
        Assert.Equal("uptime 30d: 70.00%", await Label($"/status/{w.Slug}/uptime.svg"));
        Assert.Equal("Mail server uptime 90d: 70.00%", await Label($"/status/{w.Slug}/components/{w.CheckId}/uptime.svg?days=90"));

        foreach (var bad in new[] { "0", "2", "365", "-7", "abc", "30.0", "030", "7&days=30", "%2030", new string('9', 400) })
        {
            foreach (var path in new[] { $"/status/{w.Slug}/uptime.svg", $"/status/{w.Slug}/components/{w.CheckId}/uptime.svg" })
            {
                var (response, body) = await GetAsync(w.Reader, $"{path}?days={bad}");
                Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"days={bad}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                var problem = JsonDocument.Parse(body).RootElement;
                Assert.Equal(400, problem.GetProperty("status").GetInt32());
                Assert.Contains("days must be one of 1, 7, 30 or 90", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Unknown_pages_and_services_are_404_problem_details_and_another_pages_service_is_unknown_here()
    {
        using var w = await WorldAsync();
        foreach (var url in new[]
        {
            $"/status/{w.Slug}/components/{w.OtherCheckId}/badge.svg", $"/status/{w.Slug}/components/{w.OtherCheckId}/uptime.svg?days=7",
            $"/status/{w.Slug}/components/1999999937/badge.svg", "/status/no-such-page-here/badge.svg", "/status/no-such-page-here/api/v2/summary.json",
            "/status/no-such-page-here/uptime.svg?days=1", "/status/no-such-page-here/feed.rss",
        })
        {
            var (response, body) = await GetAsync(w.Reader, url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(404, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(w.Reader, $"/status/{w.Slug}/components/abc/badge.svg")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(w.Reader, "/status/no-such-page-here/widget")).Response.StatusCode);

        // The existing pages keep their routes.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(w.Reader, $"/status/{w.Slug}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(w.Reader, $"/status/{w.Slug}/history")).Response.StatusCode);
        var incident = await PostIncidentAsync(w);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(w.Reader, $"/status/{w.Slug}/incidents/{incident}")).Response.StatusCode);
    }

    [Fact]
    public async Task The_widget_is_self_contained_and_is_the_only_route_other_sites_may_frame()
    {
        using var w = await WorldAsync();
        var (response, body) = await GetAsync(w.Reader, $"/status/{w.Slug}/widget");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors *", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Equal(Widget.ContentSecurityPolicy, csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));

        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(System.Text.Encoding.UTF8.GetString(body));
        Assert.Empty(document.QuerySelectorAll("script, link, img, iframe, object, embed, [style], [src]"));
        var link = document.QuerySelector("#widget-link")!;
        Assert.Equal($"http://localhost/status/{w.Slug}", link.GetAttribute("href"));
        Assert.Equal("Acme: Waiting for the first results", link.TextContent.Trim());
        Assert.Single(document.QuerySelectorAll("style"));

        foreach (var url in new[] { $"/status/{w.Slug}", $"/status/{w.Slug}/history", $"/status/{w.Slug}/api/v2/summary.json", $"/status/{w.Slug}/badge.svg", $"/status/{w.Slug}/widget/x", "/" })
        {
            var (other, _) = await GetAsync(w.Reader, url);
            Assert.Equal("DENY", Assert.Single(other.Headers.GetValues("X-Frame-Options")));
            Assert.Contains("frame-ancestors 'none'", Assert.Single(other.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        }

        // Served again from the cache: the same headers.
        var (cached, _) = await GetAsync(w.Reader, $"/status/{w.Slug}/widget");
        Assert.False(cached.Headers.Contains("X-Frame-Options"));
        Assert.Equal(Widget.ContentSecurityPolicy, Assert.Single(cached.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal(TimeSpan.FromSeconds(5), cached.Headers.CacheControl?.MaxAge);
    }
}

public sealed class PublicApiTests_Sqlite(SqliteAppFixture fixture) : PublicApiTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class PublicApiTests_Postgres(PostgresAppFixture fixture) : PublicApiTests(fixture), IClassFixture<PostgresAppFixture>;
