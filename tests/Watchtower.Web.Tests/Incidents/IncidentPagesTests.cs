using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Incidents;

/// <summary>The owner's incident and maintenance forms through the real app, and what the public pages then show.</summary>
public abstract class IncidentPagesTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(OwnerClient Owner, int PageId, string Slug, int CheckId) : IDisposable
    {
        public void Dispose() => Owner.Dispose();
    }

    private async Task<World> WorldAsync()
    {
        var app = await fixture.UseAsync();
        var owner = await new OwnerClient(app).RegisterAsync();
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail server"));
        var slug = OwnerSteps.UniqueSlug();
        var page = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(page, "Acme", slug, check);
        return new World(owner, page, slug, check);
    }

    private static Dictionary<string, string> IncidentForm(int checkId, string title = "Mail delayed", string body = "We are **looking** into it.", string status = "Investigating") => new()
    {
        ["pageId"] = checkId == 0 ? "" : "",
        ["Input.Title"] = title,
        ["Input.Status"] = status,
        ["Input.Impact"] = "Major",
        ["Input.Body"] = body,
        ["Input.Components[0].CheckId"] = checkId.ToString(CultureInfo.InvariantCulture),
        ["Input.Components[0].Affected"] = "true",
        ["Input.Components[0].Status"] = "PartialOutage",
    };

    private static async Task<int> CreateIncidentAsync(World w, string title = "Mail delayed", string body = "We are **looking** into it.")
    {
        var form = IncidentForm(w.CheckId, title, body);
        form["pageId"] = w.PageId.ToString(CultureInfo.InvariantCulture);
        var page = await w.Owner.PostFormAsync($"/Incidents/Create?pageId={w.PageId}", form);
        Assert.True(page.Status == HttpStatusCode.Redirect, $"{page.Status}: {page.Text(".field-error, .errors")}");
        return page.IdFromLocation();
    }

    [Fact]
    public async Task A_reported_incident_is_on_top_of_the_public_page_with_its_permalink_and_moves_to_past_incidents_when_resolved()
    {
        using var w = await WorldAsync();
        var id = await CreateIncidentAsync(w);

        var status = await w.Owner.GetAsync($"/status/{w.Slug}");
        Assert.Contains("Mail delayed", status.Text("#active-incidents"), StringComparison.Ordinal);
        Assert.Contains("<strong>looking</strong>", status.Document.QuerySelector("#active-incidents .update-body")!.InnerHtml, StringComparison.Ordinal);
        Assert.Equal("Partial outage", status.Text("#services .badge"));
        Assert.Equal("Partial outage", status.Text("#overall"));
        Assert.Equal($"/status/{w.Slug}/incidents/{id}", status.Document.QuerySelector("#active-incidents .incident-title a")!.GetAttribute("href"));
        var permalink = await w.Owner.GetAsync($"/status/{w.Slug}/incidents/{id}");
        Assert.Equal((HttpStatusCode.OK, "Mail delayed"), (permalink.Status, permalink.Text("h1")));

        var update = await w.Owner.PostFormAsync($"/Incidents/{id}", new() { ["Update.Status"] = "Resolved", ["Update.Body"] = "Mail flows again." });
        Assert.Equal(HttpStatusCode.Redirect, update.Status);
        status = await w.Owner.GetAsync($"/status/{w.Slug}");
        Assert.Null(status.Document.QuerySelector("#active-incidents"));
        Assert.Contains("Mail delayed", status.Text("#past-incidents"), StringComparison.Ordinal);
        Assert.Equal(14, status.Document.QuerySelectorAll("#past-incidents .day").Length);
        Assert.NotEqual("Partial outage", status.Text("#overall"));
        permalink = await w.Owner.GetAsync($"/status/{w.Slug}/incidents/{id}");
        Assert.Equal(["Resolved", "Investigating"], permalink.Document.QuerySelectorAll("#timeline .update-head strong").Select(e => e.TextContent));
    }

    [Theory]
    [InlineData("", "body", "#title-error", "Enter a title")]
    [InlineData("Title", "", "#body-error", "Write what readers should know")]
    [InlineData("Title", "long", "#body-error", "at most 10,000")]
    public async Task Bad_incident_input_gets_a_message_by_its_field_and_stores_nothing(string title, string body, string errorId, string message)
    {
        using var w = await WorldAsync();
        var form = IncidentForm(w.CheckId, title, body == "long" ? new string('x', 10_001) : body);
        form["pageId"] = w.PageId.ToString(CultureInfo.InvariantCulture);
        var page = await w.Owner.PostFormAsync($"/Incidents/Create?pageId={w.PageId}", form);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(message, page.Text(errorId), StringComparison.Ordinal);
        await using var scope = (await fixture.UseAsync()).CreateScope(out var db);
        Assert.False(await db.Incidents.AnyAsync(i => i.StatusPageId == w.PageId, Ct));
    }

    [Fact]
    public async Task Junk_in_choices_and_another_pages_service_are_field_messages_never_a_500()
    {
        using var w = await WorldAsync();
        var form = IncidentForm(w.CheckId);
        form["pageId"] = w.PageId.ToString(CultureInfo.InvariantCulture);
        form["Input.Impact"] = "Apocalyptic";
        form["Input.Components[1].CheckId"] = "1999999937";
        form["Input.Components[1].Affected"] = "true";
        var page = await w.Owner.PostFormAsync($"/Incidents/Create?pageId={w.PageId}", form);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Choose one of the values", page.Text("#impact-error"), StringComparison.Ordinal);
        Assert.Contains("Choose services shown on this status page", page.Text("#components-error"), StringComparison.Ordinal);
        Assert.Equal(404, (int)(await w.Owner.GetAsync("/Incidents/Create?pageId=1999999937")).Status);
    }

    [Fact]
    public async Task Hostile_markdown_reaches_the_public_pages_harmless()
    {
        using var w = await WorldAsync();
        var hostile = "<script>alert('x')</script> [a](javascript:alert(1)) <img src=x onerror=alert(1)> [b](data:text/html;base64,PHNjcmlwdD4=) <b onmouseover=alert(1)>x</b>";
        var id = await CreateIncidentAsync(w, "Hostile", hostile);
        await w.Owner.PostFormAsync($"/Incidents/{id}", new() { ["Update.Status"] = "Identified", ["Update.Body"] = hostile });

        foreach (var url in new[] { $"/status/{w.Slug}", $"/status/{w.Slug}/incidents/{id}", $"/status/{w.Slug}/history", $"/Incidents/{id}" })
        {
            var page = await w.Owner.GetAsync(url);
            var bodies = string.Concat(page.Document.QuerySelectorAll(".update-body").Select(e => e.InnerHtml));
            Assert.True(bodies.Length > 0, url);
            Assert.DoesNotContain("<script", bodies, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("javascript:", bodies, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("data:", bodies, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(page.Document.QuerySelectorAll(".update-body img, .update-body [onerror], .update-body [onmouseover], .update-body script"));
        }
    }

    [Fact]
    public async Task A_hidden_incident_leaves_the_public_pages_and_a_merged_one_sends_its_permalink_on()
    {
        using var w = await WorldAsync();
        var first = await CreateIncidentAsync(w, "First report");
        var second = await CreateIncidentAsync(w, "Second report");

        Assert.Equal(HttpStatusCode.Redirect, (await w.Owner.PostFormAsync($"/Incidents/{second}?handler=Hidden", new() { ["hidden"] = "true" }, $"/Incidents/{second}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Owner.GetAsync($"/status/{w.Slug}/incidents/{second}")).Status);
        Assert.DoesNotContain("Second report", (await w.Owner.GetAsync($"/status/{w.Slug}")).Body, StringComparison.Ordinal);
        await w.Owner.PostFormAsync($"/Incidents/{second}?handler=Hidden", new() { ["hidden"] = "false" }, $"/Incidents/{second}");

        var merged = await w.Owner.PostFormAsync($"/Incidents/{second}?handler=Merge", new() { ["intoId"] = first.ToString(CultureInfo.InvariantCulture) }, $"/Incidents/{second}");
        Assert.Equal($"/Incidents/{first}", merged.Location?.OriginalString);
        var old = await w.Owner.GetAsync($"/status/{w.Slug}/incidents/{second}");
        Assert.Equal((HttpStatusCode.MovedPermanently, $"/status/{w.Slug}/incidents/{first}"), (old.Status, old.Location?.OriginalString));
        var target = await w.Owner.GetAsync($"/status/{w.Slug}/incidents/{first}");
        Assert.Equal(2, target.Document.QuerySelectorAll("#timeline li").Length);
        var self = await w.Owner.PostFormAsync($"/Incidents/{first}?handler=Merge", new() { ["intoId"] = first.ToString(CultureInfo.InvariantCulture) }, $"/Incidents/{first}");
        Assert.Equal(HttpStatusCode.OK, self.Status);
        Assert.Contains("Choose another incident", self.Text("#merge-error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_history_is_paginated_and_a_junk_page_number_shows_a_real_page()
    {
        using var w = await WorldAsync();
        await using (var scope = (await fixture.UseAsync()).CreateScope(out var db))
        {
            var team = await db.StatusPages.Where(p => p.Id == w.PageId).Select(p => p.TeamId).SingleAsync(Ct);
            var start = DateTimeOffset.UtcNow.AddDays(-60);
            for (var i = 0; i < 23; i++)
            {
                db.Incidents.Add(new Incident
                {
                    TeamId = team, StatusPageId = w.PageId, Title = $"Old incident {i:00}", Status = IncidentStatus.Resolved, CreatedAt = start.AddDays(i), ResolvedAt = start.AddDays(i).AddHours(1),
                    Updates = [new IncidentUpdate { Status = IncidentStatus.Resolved, Body = "Fixed.", At = start.AddDays(i).AddHours(1) }],
                });
            }

            await db.SaveChangesAsync(Ct);
        }

        var first = await w.Owner.GetAsync($"/status/{w.Slug}/history");
        Assert.Equal(20, first.Document.QuerySelectorAll("#history .incident").Length);
        Assert.StartsWith("Old incident 22", first.Text("#history .incident-title"), StringComparison.Ordinal);
        var second = await w.Owner.GetAsync($"/status/{w.Slug}/history?p=2");
        Assert.Equal(["Old incident 02", "Old incident 01", "Old incident 00"], second.Document.QuerySelectorAll("#history .incident-title").Select(e => e.TextContent.Trim()));
        foreach (var junk in new[] { "abc", "0", "-1", "999999999999" })
        {
            var page = await w.Owner.GetAsync($"/status/{w.Slug}/history?p={junk}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
        }

        Assert.Equal(3, (await w.Owner.GetAsync($"/status/{w.Slug}/history?p=7")).Document.QuerySelectorAll("#history .incident").Length);
        Assert.Equal(HttpStatusCode.NotFound, (await w.Owner.GetAsync("/status/no-such-page-here/history")).Status);
    }

    [Fact]
    public async Task Scheduled_maintenance_is_stored_in_utc_from_its_zone_and_started_it_shows_under_maintenance()
    {
        using var w = await WorldAsync();
        var day = DateTime.UtcNow.Date.AddDays(3);
        var page = await w.Owner.PostFormAsync($"/Maintenance/Create?pageId={w.PageId}", new()
        {
            ["pageId"] = w.PageId.ToString(CultureInfo.InvariantCulture),
            ["Input.Title"] = "Database upgrade",
            ["Input.Body"] = "Expect *short* interruptions.",
            ["Input.StartsAt"] = day.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            ["Input.EndsAt"] = day.AddHours(4).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
            ["Input.TimeZone"] = "Asia/Tokyo",
            ["Input.AutoStartEnd"] = "true",
            ["Input.CheckIds"] = w.CheckId.ToString(CultureInfo.InvariantCulture),
        });
        Assert.True(page.Status == HttpStatusCode.Redirect, page.Text(".field-error"));
        int id;
        await using (var scope = (await fixture.UseAsync()).CreateScope(out var db))
        {
            var stored = await db.Maintenances.Include(m => m.Components).SingleAsync(m => m.StatusPageId == w.PageId, Ct);
            // 02:00 in Tokyo (UTC+9) is 17:00 UTC the day before.
            Assert.Equal((day.AddHours(-7), day.AddHours(-5), "Asia/Tokyo", w.CheckId), (stored.StartsAt.UtcDateTime, stored.EndsAt.UtcDateTime, stored.TimeZone, Assert.Single(stored.Components).CheckId));
            id = stored.Id;
        }

        var status = await w.Owner.GetAsync($"/status/{w.Slug}");
        Assert.Contains("Database upgrade", status.Text("#maintenance"), StringComparison.Ordinal);
        Assert.Contains("Scheduled", status.Text("#maintenance .badge"), StringComparison.Ordinal);
        Assert.Contains("<em>short</em>", status.Document.QuerySelector("#maintenance .update-body")!.InnerHtml, StringComparison.Ordinal);
        Assert.Contains("2:00 Asia/Tokyo", (await w.Owner.GetAsync($"/Maintenance/{id}")).Text("#maintenance-window"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await w.Owner.PostFormAsync($"/Maintenance/{id}?handler=Start", [], $"/Maintenance/{id}")).Status);
        status = await w.Owner.GetAsync($"/status/{w.Slug}");
        Assert.Equal("Under maintenance", status.Text("#overall"));
        Assert.Equal("Under maintenance", status.Text("#services .badge"));
        Assert.Equal("maintenance", status.Document.QuerySelector("#services .service")!.GetAttribute("data-state"));

        Assert.Equal(HttpStatusCode.Redirect, (await w.Owner.PostFormAsync($"/Maintenance/{id}?handler=Complete", [], $"/Maintenance/{id}")).Status);
        status = await w.Owner.GetAsync($"/status/{w.Slug}");
        Assert.NotEqual("Under maintenance", status.Text("#overall"));
        Assert.Null(status.Document.QuerySelector("#maintenance"));
    }

    [Theory]
    [InlineData("2030-06-01T10:00", "2030-06-01T09:00", "Europe/Berlin", "#ends-error", "after the start")]
    [InlineData("2030-06-01T10:00", "2030-08-01T10:00", "Europe/Berlin", "#ends-error", "at most 31 days")]
    [InlineData("2020-06-01T10:00", "2020-06-01T11:00", "Europe/Berlin", "#ends-error", "over already")]
    [InlineData("2030-06-01T10:00", "2030-06-01T11:00", "Mars/Olympus_Mons", "#zone-error", "Choose a time zone")]
    [InlineData("2030-03-31T02:30", "2030-03-31T05:00", "Europe/Berlin", "#starts-error", "does not exist in Europe/Berlin")]
    [InlineData("", "2030-06-01T11:00", "Europe/Berlin", "#starts-error", "Enter when the work starts")]
    [InlineData("yesterday", "2030-06-01T11:00", "Europe/Berlin", "#starts-error", "")]
    public async Task Bad_maintenance_input_gets_a_message_by_its_field_and_stores_nothing(string starts, string ends, string zone, string errorId, string message)
    {
        using var w = await WorldAsync();
        var page = await w.Owner.PostFormAsync($"/Maintenance/Create?pageId={w.PageId}", new()
        {
            ["pageId"] = w.PageId.ToString(CultureInfo.InvariantCulture),
            ["Input.Title"] = "Upgrade",
            ["Input.StartsAt"] = starts,
            ["Input.EndsAt"] = ends,
            ["Input.TimeZone"] = zone,
            ["Input.CheckIds"] = w.CheckId.ToString(CultureInfo.InvariantCulture),
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotEmpty(page.Text(errorId));
        Assert.Contains(message, page.Text(errorId), StringComparison.Ordinal);
        await using var scope = (await fixture.UseAsync()).CreateScope(out var db);
        Assert.False(await db.Maintenances.AnyAsync(m => m.StatusPageId == w.PageId, Ct));
    }

    [Fact]
    public async Task A_viewer_sees_incidents_and_maintenance_and_changes_nothing()
    {
        using var w = await WorldAsync();
        var id = await CreateIncidentAsync(w);
        var app = await fixture.UseAsync();
        using var viewer = await new OwnerClient(app).RegisterAsync();
        await using (var scope = app.CreateScope(out var db))
        {
            var team = await db.StatusPages.Where(p => p.Id == w.PageId).Select(p => p.TeamId).SingleAsync(Ct);
            var user = await db.Users.SingleAsync(u => u.Email == viewer.Email, Ct);
            db.TeamMembers.Add(new TeamMember { TeamId = team, UserId = user.Id, Role = TeamRole.Viewer, JoinedAt = DateTimeOffset.UtcNow });
            user.CurrentTeamId = team;
            await db.SaveChangesAsync(Ct);
        }

        var list = await viewer.GetAsync($"/StatusPages/{w.PageId}/Incidents");
        Assert.Contains("Mail delayed", list.Text("#incidents-table"), StringComparison.Ordinal);
        Assert.Null(list.Document.QuerySelector("#new-incident"));
        var details = await viewer.GetAsync($"/Incidents/{id}");
        Assert.Equal(HttpStatusCode.OK, details.Status);
        Assert.Null(details.Document.QuerySelector("#update-form"));
        var post = await viewer.PostFormAsync($"/Incidents/{id}", new() { ["Update.Status"] = "Resolved", ["Update.Body"] = "No." }, "/Account/Manage");
        Assert.Equal(HttpStatusCode.Forbidden, post.Status);
    }
}

public sealed class IncidentPagesTests_Sqlite(SqliteAppFixture fixture) : IncidentPagesTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class IncidentPagesTests_Postgres(PostgresAppFixture fixture) : IncidentPagesTests(fixture), IClassFixture<PostgresAppFixture>;
