using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

public abstract class StatusPageTests(AppFixture fixture)
{
    [Fact]
    public async Task Creating_a_page_stores_it_for_the_account_and_opens_its_editor()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();

        var response = await owner.PostFormAsync("/StatusPages/Create", new() { ["Input.Name"] = "Acme", ["Input.Slug"] = slug });

        Assert.Equal(HttpStatusCode.Redirect, response.Status);
        Assert.Matches("^/StatusPages/[0-9]+/Edit$", response.Location!.OriginalString);
        await using var scope = app.CreateScope(out var db);
        var page = await db.StatusPages.SingleAsync(p => p.Slug == slug, TestContext.Current.CancellationToken);
        // The page belongs to the owner's personal team, which sign-up made with them as its owner.
        var membership = await db.TeamMembers.SingleAsync(m => m.User!.Email == owner.Email, TestContext.Current.CancellationToken);
        Assert.Equal((membership.TeamId, Watchtower.Data.Entities.TeamRole.Owner), (page.TeamId, membership.Role));
        Assert.Equal("Acme", page.Name);
    }

    [Fact]
    public async Task An_empty_slug_is_suggested_from_the_name()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var name = $"Acme Mail & DB {Guid.NewGuid():N}"[..24];

        var response = await owner.PostFormAsync("/StatusPages/Create", new() { ["Input.Name"] = name, ["Input.Slug"] = "" });

        Assert.Equal(HttpStatusCode.Redirect, response.Status);
        await using var scope = app.CreateScope(out var db);
        var page = await db.StatusPages.SingleAsync(p => p.Name == name, TestContext.Current.CancellationToken);
        Assert.StartsWith("acme-mail-db-", page.Slug, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad Slug", "lowercase")]
    [InlineData("-x-", "lowercase")]
    [InlineData("a--b", "lowercase")]
    [InlineData("ab", "3 to 60")]
    [InlineData("admin", "reserved")]
    [InlineData("status", "reserved")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "at most 60")]
    [InlineData("<script>", "lowercase")]
    public async Task Invalid_slugs_get_a_message_and_store_nothing(string slug, string message)
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();

        var response = await owner.PostFormAsync("/StatusPages/Create", new() { ["Input.Name"] = "Acme", ["Input.Slug"] = slug });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains(message, response.FieldError("Input.Slug"), StringComparison.OrdinalIgnoreCase);
        await using var scope = app.CreateScope(out var db);
        Assert.False(await db.StatusPages.AnyAsync(p => db.TeamMembers.Any(m => m.TeamId == p.TeamId && m.User!.Email == owner.Email), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_slug_taken_by_another_account_is_refused()
    {
        var app = await fixture.UseAsync();
        using var first = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        await first.CreatePageAsync("First", slug);
        using var second = await new OwnerClient(app).RegisterAsync();

        var response = await second.PostFormAsync("/StatusPages/Create", new() { ["Input.Name"] = "Second", ["Input.Slug"] = slug });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains("taken", response.FieldError("Input.Slug"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_needs_a_name()
    {
        using var owner = await new OwnerClient(await fixture.UseAsync()).RegisterAsync();

        var response = await owner.PostFormAsync("/StatusPages/Create", new() { ["Input.Name"] = "  ", ["Input.Slug"] = OwnerSteps.UniqueSlug() });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains("Enter a name", response.FieldError("Input.Name"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_owner_chooses_which_checks_the_public_page_shows_and_in_what_order()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var mail = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail", "mail.example.com", "25", showTarget: true));
        var db1 = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Database", "db.example.com", "5432"));
        await owner.CreateCheckAsync(OwnerSteps.CheckForm("Hidden SSH", "ssh.example.com", "22"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);

        var saved = await owner.SetPageChecksAsync(pageId, "Acme Services", slug, db1, mail);

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        await using (var scope = app.CreateScope(out var db))
        {
            var rows = await db.StatusPageChecks.Where(x => x.StatusPageId == pageId).OrderBy(x => x.SortOrder)
                .Select(x => new { x.CheckId, x.SortOrder }).ToListAsync(TestContext.Current.CancellationToken);
            Assert.Equal([(db1, 1), (mail, 2)], rows.Select(r => (r.CheckId, r.SortOrder)));
        }

        using var visitor = new OwnerClient(app);
        var publicPage = await visitor.GetAsync($"/status/{slug}");
        Assert.Equal(HttpStatusCode.OK, publicPage.Status);
        Assert.Equal("Acme Services", publicPage.Text("#page-name"));
        Assert.Equal("Database | Mail", publicPage.Text("#services .service .name"));
        Assert.Contains("Waiting for the first results", publicPage.Text("#overall"), StringComparison.Ordinal);
        Assert.Equal("mail.example.com:25", publicPage.Text(".target"));
        Assert.DoesNotContain("db.example.com", publicPage.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("ssh.example.com", publicPage.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Hidden SSH", publicPage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_page_asks_first_then_removes_the_public_page()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Doomed", slug);

        var confirm = await owner.GetAsync($"/StatusPages/{pageId}/Delete");
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains("Delete “Doomed”?", confirm.Body, StringComparison.Ordinal);
        var deleted = await owner.PostFormAsync($"/StatusPages/{pageId}/Delete", []);

        Assert.Equal(HttpStatusCode.Redirect, deleted.Status);
        using var visitor = new OwnerClient(app);
        Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/status/{slug}")).Status);
    }

    [Fact]
    public async Task An_unknown_slug_is_a_friendly_404()
    {
        using var visitor = new OwnerClient(await fixture.UseAsync());

        var response = await visitor.GetAsync("/status/no-such-page-here");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("Page not found", response.Text("#error-title"));
    }
}

public sealed class StatusPageTests_Sqlite(SqliteAppFixture fixture) : StatusPageTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class StatusPageTests_Postgres(PostgresAppFixture fixture) : StatusPageTests(fixture), IClassFixture<PostgresAppFixture>;
