using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Testing;

namespace Watchtower.Web.Tests.Owner;

/// <summary>
/// The order of a status page's checks, set without JavaScript: the up/down buttons post the
/// whole form and get it back reordered (typed values and ticks kept, nothing saved); Save stores
/// that order and the public page follows it.
/// </summary>
public abstract class StatusPageOrderTests(AppFixture fixture)
{
    [Fact]
    public async Task Up_and_down_buttons_reorder_the_form_keep_unsaved_input_and_save_stores_that_order()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var alpha = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Alpha", "alpha.example.com", "25"));
        var bravo = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Bravo", "bravo.example.com", "993"));
        var charlie = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Charlie", "charlie.example.com", "5432"));
        var delta = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Delta", "delta.example.com", "22"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(pageId, "Acme", slug, alpha, bravo, charlie);
        var editUrl = $"/StatusPages/{pageId}/Edit";

        var edit = await owner.GetAsync(editUrl);
        Assert.Equal(["Alpha", "Bravo", "Charlie"], Names(edit, "#shown-checks"));
        Assert.Equal(["Delta"], Names(edit, "#other-checks"));
        Assert.Empty(edit.Document.QuerySelectorAll("#page-form input[type=number]"));
        Assert.True(edit.Document.QuerySelector($"#choice-{alpha} button[data-move=up]")!.HasAttribute("disabled"), "the first row cannot move up");
        Assert.True(edit.Document.QuerySelector($"#choice-{charlie} button[data-move=down]")!.HasAttribute("disabled"), "the last row cannot move down");
        Assert.Equal("Move Charlie up", edit.Document.QuerySelector($"#choice-{charlie} button[data-move=up]")!.TextContent.Trim().TrimStart('↑'));

        // Rename, tick Delta, and move Charlie up: nothing is saved yet.
        var moved = await BrowserForm.Of(edit, editUrl)
            .Type("Input.Name", "Acme renamed")
            .Tick($"show-{delta}")
            .SubmitAsync(owner, $"#choice-{charlie} button[data-move=up]");

        Assert.Equal(HttpStatusCode.OK, moved.Status);
        Assert.Equal(["Alpha", "Charlie", "Bravo", "Delta"], Names(moved, "#shown-checks"));
        Assert.Empty(Names(moved, "#other-checks"));
        Assert.Equal("Acme renamed", moved.Document.QuerySelector("#Input_Name")!.GetAttribute("value"));
        Assert.Contains("“Charlie” moved to position 2 of 4. Save to keep this order.", moved.Text("#order-status"), StringComparison.Ordinal);
        Assert.Equal($"{charlie}:up", Assert.Single(moved.Document.QuerySelectorAll("[autofocus]")).GetAttribute("value")); // focus stays on the button pressed
        Assert.Empty(moved.Document.QuerySelectorAll(".field-error:not(:empty)"));
        Assert.Equal([alpha, bravo, charlie], await StoredOrderAsync(app, pageId));

        var movedAgain = await BrowserForm.Of(moved, editUrl).SubmitAsync(owner, $"#choice-{alpha} button[data-move=down]");
        Assert.Equal(["Charlie", "Alpha", "Bravo", "Delta"], Names(movedAgain, "#shown-checks"));

        var saved = await BrowserForm.Of(movedAgain, editUrl).SubmitAsync(owner, "#page-save");

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal(editUrl, saved.Location!.OriginalString);
        Assert.Equal([charlie, alpha, bravo, delta], await StoredOrderAsync(app, pageId));
        var reloaded = await owner.GetAsync(editUrl);
        Assert.Equal(["Charlie", "Alpha", "Bravo", "Delta"], Names(reloaded, "#shown-checks"));
        Assert.Equal("Acme renamed", reloaded.Document.QuerySelector("#Input_Name")!.GetAttribute("value"));

        using var visitor = new OwnerClient(app);
        var publicPage = await visitor.GetAsync($"/status/{slug}");
        Assert.Equal("Acme renamed", publicPage.Text("#page-name"));
        Assert.Equal("Charlie | Alpha | Bravo | Delta", publicPage.Text("#services .service .name"));
        Assert.EndsWith(" UTC", publicPage.Text("#updated time"), StringComparison.Ordinal); // until time.js makes it local
    }

    [Fact]
    public async Task Unticking_a_check_and_saving_takes_it_off_the_page_and_back_among_the_others()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var alpha = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Alpha", "alpha.example.com", "25"));
        var bravo = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Bravo", "bravo.example.com", "993"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(pageId, "Acme", slug, bravo, alpha);
        var editUrl = $"/StatusPages/{pageId}/Edit";

        var saved = await BrowserForm.Of(await owner.GetAsync(editUrl), editUrl).Tick($"show-{bravo}", false).SubmitAsync(owner, "#page-save");

        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal([alpha], await StoredOrderAsync(app, pageId));
        var edit = await owner.GetAsync(editUrl);
        Assert.Equal(["Alpha"], Names(edit, "#shown-checks"));
        Assert.Equal(["Bravo"], Names(edit, "#other-checks"));
    }

    [Fact]
    public async Task A_forged_check_id_of_another_account_is_404_on_move_and_on_save_and_changes_nothing()
    {
        var app = await fixture.UseAsync();
        using var alice = await new OwnerClient(app).RegisterAsync();
        var aliceCheck = await alice.CreateCheckAsync(OwnerSteps.CheckForm("Alice mail", "alice-mail.example.com", "25"));
        using var mallory = await new OwnerClient(app).RegisterAsync();
        var malloryCheck = await mallory.CreateCheckAsync(OwnerSteps.CheckForm("Mallory", "mallory.example.com", "25"));
        var malloryDb = await mallory.CreateCheckAsync(OwnerSteps.CheckForm("Mallory DB", "db.mallory.example.com", "5432"));
        var mallorySlug = OwnerSteps.UniqueSlug();
        var malloryPage = await mallory.CreatePageAsync("Mallory", mallorySlug);
        await mallory.SetPageChecksAsync(malloryPage, "Mallory", mallorySlug, malloryCheck, malloryDb);
        var editUrl = $"/StatusPages/{malloryPage}/Edit";
        var edit = await mallory.GetAsync(editUrl);
        var next = edit.Document.QuerySelectorAll("#page-form li.choice").Length.ToString(CultureInfo.InvariantCulture);
        var forged = new Dictionary<string, string>
        {
            [$"Choices[{next}].CheckId"] = aliceCheck.ToString(CultureInfo.InvariantCulture),
            [$"Choices[{next}].Shown"] = "true",
            [$"Choices[{next}].Position"] = "1",
        };

        var move = await BrowserForm.Of(edit, editUrl).SubmitAsync(mallory, $"#choice-{malloryCheck} button[data-move=down]", forged);
        var save = await BrowserForm.Of(edit, editUrl).SubmitAsync(mallory, "#page-save", forged);

        Assert.Equal(HttpStatusCode.NotFound, move.Status);
        Assert.Equal(HttpStatusCode.NotFound, save.Status);
        Assert.DoesNotContain("Alice mail", move.Body + save.Body, StringComparison.Ordinal);
        Assert.Equal([malloryCheck, malloryDb], await StoredOrderAsync(app, malloryPage));
    }

    private static string[] Names(OwnerClient.Page page, string list) =>
        page.Document.QuerySelectorAll($"{list} > li.choice").Select(li => li.GetAttribute("data-name")!).ToArray();

    private static async Task<int[]> StoredOrderAsync(WatchtowerApp app, int pageId)
    {
        await using var scope = app.CreateScope(out var db);
        return await db.StatusPageChecks.Where(x => x.StatusPageId == pageId).OrderBy(x => x.SortOrder)
            .Select(x => x.CheckId).ToArrayAsync(TestContext.Current.CancellationToken);
    }
}

public sealed class StatusPageOrderTests_Sqlite(SqliteAppFixture fixture) : StatusPageOrderTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class StatusPageOrderTests_Postgres(PostgresAppFixture fixture) : StatusPageOrderTests(fixture), IClassFixture<PostgresAppFixture>;
