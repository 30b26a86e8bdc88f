using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

/// <summary>
/// A second account reaches none of the first account's pages or checks, by any route: every
/// answer is 404 (not 403, so ids don't leak), and nothing of the first account changes.
/// </summary>
public abstract class TenantIsolationTests(AppFixture fixture)
{
    [Fact]
    public async Task Another_account_gets_404_on_every_owner_route_and_changes_nothing()
    {
        var app = await fixture.UseAsync();
        using var alice = await new OwnerClient(app).RegisterAsync();
        var aliceCheck = await alice.CreateCheckAsync(OwnerSteps.CheckForm("Alice mail", "alice-mail.example.com", "25"));
        var aliceSlug = OwnerSteps.UniqueSlug();
        var alicePage = await alice.CreatePageAsync("Alice status", aliceSlug);
        await alice.SetPageChecksAsync(alicePage, "Alice status", aliceSlug, aliceCheck);
        Check before;
        await using (var scope = app.CreateScope(out var db))
        {
            before = await db.Checks.AsNoTracking().SingleAsync(c => c.Id == aliceCheck, TestContext.Current.CancellationToken);
        }

        using var mallory = await new OwnerClient(app).RegisterAsync();
        var malloryCheck = await mallory.CreateCheckAsync(OwnerSteps.CheckForm("Mallory", "mallory.example.com", "25"));
        var mallorySlug = OwnerSteps.UniqueSlug();
        var malloryPage = await mallory.CreatePageAsync("Mallory", mallorySlug);

        var pageForm = new Dictionary<string, string> { ["Input.Name"] = "Hijacked", ["Input.Slug"] = OwnerSteps.UniqueSlug() };
        var checkForm = OwnerSteps.CheckForm("Hijacked", "evil.example.com", "6666");
        var attempts = new List<(string What, HttpStatusCode Status)>
        {
            ("GET page edit", (await mallory.GetAsync($"/StatusPages/{alicePage}/Edit")).Status),
            ("POST page edit", (await mallory.PostFormAsync($"/StatusPages/{alicePage}/Edit", pageForm, formPage: "/Dashboard")).Status),
            ("GET page delete", (await mallory.GetAsync($"/StatusPages/{alicePage}/Delete")).Status),
            ("POST page delete", (await mallory.PostFormAsync($"/StatusPages/{alicePage}/Delete", [], formPage: "/Dashboard")).Status),
            ("GET check", (await mallory.GetAsync($"/Checks/{aliceCheck}")).Status),
            ("POST pause", (await mallory.PostFormAsync($"/Checks/{aliceCheck}?handler=Pause", [], formPage: "/Dashboard")).Status),
            ("POST resume", (await mallory.PostFormAsync($"/Checks/{aliceCheck}?handler=Resume", [], formPage: "/Dashboard")).Status),
            ("GET check edit", (await mallory.GetAsync($"/Checks/{aliceCheck}/Edit")).Status),
            ("POST check edit", (await mallory.PostFormAsync($"/Checks/{aliceCheck}/Edit", checkForm, formPage: "/Dashboard")).Status),
            ("GET check delete", (await mallory.GetAsync($"/Checks/{aliceCheck}/Delete")).Status),
            ("POST check delete", (await mallory.PostFormAsync($"/Checks/{aliceCheck}/Delete", [], formPage: "/Dashboard")).Status),
            ("POST own page with Alice's check", (await mallory.SetPageChecksAsync(malloryPage, "Mallory", mallorySlug, malloryCheck, aliceCheck)).Status),
        };

        Assert.All(attempts, a => Assert.True(a.Status == HttpStatusCode.NotFound, $"{a.What}: {a.Status}"));

        await using (var scope = app.CreateScope(out var db))
        {
            var page = await db.StatusPages.Include(p => p.Checks).SingleAsync(p => p.Id == alicePage, TestContext.Current.CancellationToken);
            Assert.Equal(("Alice status", aliceSlug), (page.Name, page.Slug));
            Assert.Equal([aliceCheck], page.Checks.Select(c => c.CheckId));
            var after = await db.Checks.AsNoTracking().SingleAsync(c => c.Id == aliceCheck, TestContext.Current.CancellationToken);
            Assert.Equal((before.Name, before.Tcp!.Target, before.Enabled, before.State), (after.Name, after.Tcp!.Target, after.Enabled, after.State));
            Assert.False(await db.StatusPageChecks.AnyAsync(x => x.StatusPageId == malloryPage, TestContext.Current.CancellationToken));
        }

        var malloryDashboard = await mallory.GetAsync("/Dashboard");
        Assert.DoesNotContain("Alice", malloryDashboard.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("alice-mail.example.com", malloryDashboard.Body, StringComparison.Ordinal);
        var aliceDashboard = await alice.GetAsync("/Dashboard");
        Assert.Contains("Alice mail", aliceDashboard.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Mallory", aliceDashboard.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_that_do_not_exist_answer_the_same_404()
    {
        using var owner = await new OwnerClient(await fixture.UseAsync()).RegisterAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/Checks/999999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/StatusPages/999999/Edit")).Status);
    }
}

public sealed class TenantIsolationTests_Sqlite(SqliteAppFixture fixture) : TenantIsolationTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class TenantIsolationTests_Postgres(PostgresAppFixture fixture) : TenantIsolationTests(fixture), IClassFixture<PostgresAppFixture>;
