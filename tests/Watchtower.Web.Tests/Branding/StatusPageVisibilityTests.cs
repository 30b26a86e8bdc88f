using System.Net;
using Watchtower.Testing;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Branding;

/// <summary>Public, unlisted and private pages through the real app: what readers get, what search engines are told, and that the output cache never hands a private page to the wrong reader.</summary>
public sealed class StatusPageVisibilityTests
{
    [Fact]
    public async Task An_unlisted_page_asks_not_to_be_indexed_and_a_public_one_does_not()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions(), ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        using var reader = new OwnerClient(app);

        var open = await BrandingSteps.GetAsync(reader.Http, $"/status/{slug}");
        Assert.False(open.Response.Headers.Contains("X-Robots-Tag"));
        Assert.Null(open.Document.QuerySelector("meta[name=robots]"));

        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostBrandingAsync(pageId, new() { ["Input.Visibility"] = "Unlisted" })).Status);
        var unlisted = await BrandingSteps.GetAsync(reader.Http, $"/status/{slug}");
        Assert.Equal(HttpStatusCode.OK, unlisted.Status);
        Assert.Equal("noindex", string.Join(",", unlisted.Response.Headers.GetValues("X-Robots-Tag")));
        Assert.Equal("noindex", unlisted.Document.QuerySelector("meta[name=robots]")?.GetAttribute("content"));
        var history = await BrandingSteps.GetAsync(reader.Http, $"/status/{slug}/history");
        Assert.Equal(("noindex", "noindex"), (string.Join(",", history.Response.Headers.GetValues("X-Robots-Tag")), history.Document.QuerySelector("meta[name=robots]")?.GetAttribute("content")));
    }

    [Fact]
    public async Task A_password_page_opens_with_its_password_only_for_that_reader_and_never_from_the_cache()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Store = TestStore.Postgres,
            Settings = new Dictionary<string, string?> { ["Watchtower:StatusPages:CacheSeconds"] = "600", ["Watchtower:StatusPages:PasswordPostsPerMinute"] = "4" },
        }, ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Secret service", "10.1.2.3", "25"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Internal", slug);
        await owner.SetPageChecksAsync(pageId, "Internal", slug, check);

        // Public first, and cached (ten minutes): the switch to private must evict it.
        using var early = new OwnerClient(app);
        Assert.Contains("Secret service", (await early.GetAsync($"/status/{slug}")).Text("#services"), StringComparison.Ordinal);
        var saved = await owner.PostBrandingAsync(pageId, new() { ["Input.Visibility"] = "Password", ["Input.NewPassword"] = "open sesame 42" });
        Assert.True(saved.Status == HttpStatusCode.Redirect, saved.Text(".field-error"));

        using var stranger = new OwnerClient(app);
        var locked = await stranger.GetAsync($"/status/{slug}");
        Assert.Equal(HttpStatusCode.Redirect, locked.Status);
        Assert.Equal($"/status/{slug}/unlock?returnUrl=%2Fstatus%2F{slug}", locked.Location!.OriginalString);
        Assert.DoesNotContain("Secret service", locked.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync($"/status/{slug}/history")).Status);

        var form = await BrandingSteps.GetAsync(stranger.Http, $"/status/{slug}/unlock");
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Equal("noindex", form.Document.QuerySelector("meta[name=robots]")?.GetAttribute("content"));
        Assert.Contains("no-store", form.Response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        var wrong = await stranger.PostFormAsync($"/status/{slug}/unlock", new() { ["Password"] = "guess", ["returnUrl"] = $"/status/{slug}" });
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Contains("not right", wrong.FieldError("Password"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await stranger.GetAsync($"/status/{slug}")).Status);

        using var friend = new OwnerClient(app);
        var right = await friend.PostFormAsync($"/status/{slug}/unlock", new() { ["Password"] = "open sesame 42", ["returnUrl"] = "https://evil.example/" });
        Assert.Equal(HttpStatusCode.Redirect, right.Status);
        Assert.Equal($"/status/{slug}", right.Location!.OriginalString); // never off the page
        var cookie = Assert.Single(friend.Cookies.GetAllCookies(), c => c.Name.StartsWith("wt_page_", StringComparison.Ordinal));
        Assert.Equal($"/status/{slug}", cookie.Path);
        Assert.True(cookie.HttpOnly);
        var shown = await BrandingSteps.GetAsync(friend.Http, $"/status/{slug}");
        Assert.Equal(HttpStatusCode.OK, shown.Status);
        Assert.Contains("Secret service", shown.Document.QuerySelector("#services")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("no-store", shown.Response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("noindex", shown.Document.QuerySelector("meta[name=robots]")?.GetAttribute("content"));

        // Right after the friend's view, readers without the cookie still get the form: nothing was cached.
        for (var i = 0; i < 3; i++)
        {
            var again = await stranger.GetAsync($"/status/{slug}?x={i}");
            Assert.Equal(HttpStatusCode.Redirect, again.Status);
            Assert.DoesNotContain("Secret service", again.Body, StringComparison.Ordinal);
        }

        // A cookie forged or made for another page opens nothing.
        using var forger = new OwnerClient(app);
        forger.Cookies.Add(new Uri(app.ClientOptions.BaseAddress, $"/status/{slug}"), new System.Net.Cookie(cookie.Name, "CfDJ8forged", $"/status/{slug}"));
        Assert.Equal(HttpStatusCode.Redirect, (await forger.GetAsync($"/status/{slug}")).Status);

        // A new password shuts out those who entered the old one.
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostBrandingAsync(pageId, new() { ["Input.Visibility"] = "Password", ["Input.NewPassword"] = "another secret 7" })).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await friend.GetAsync($"/status/{slug}")).Status);

        // Guessing is limited per address and page: the fifth wrong post in a minute is refused.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await stranger.PostFormAsync($"/status/{slug}/unlock", new() { ["Password"] = $"guess {i}" })).Status);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await stranger.PostFormAsync($"/status/{slug}/unlock", new() { ["Password"] = "another secret 7" })).Status);

        // Back to public: readers see it at once.
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostBrandingAsync(pageId, new() { ["Input.Visibility"] = "Public" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/status/{slug}")).Status);
    }

    [Fact]
    public async Task A_members_page_opens_to_the_team_only_and_is_never_served_from_the_cache()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Store = TestStore.Postgres,
            Settings = new Dictionary<string, string?> { ["Watchtower:StatusPages:CacheSeconds"] = "600" },
        }, ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Payroll", "10.9.9.9", "443"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Staff", slug);
        await owner.SetPageChecksAsync(pageId, "Staff", slug, check);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostBrandingAsync(pageId, new() { ["Input.Visibility"] = "Members" })).Status);

        var mine = await BrandingSteps.GetAsync(owner.Http, $"/status/{slug}");
        Assert.Equal(HttpStatusCode.OK, mine.Status);
        Assert.Contains("Payroll", mine.Document.QuerySelector("#services")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("no-store", mine.Response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);

        using var anonymous = new OwnerClient(app);
        var signIn = await anonymous.GetAsync($"/status/{slug}");
        Assert.Equal(HttpStatusCode.Redirect, signIn.Status);
        Assert.StartsWith("/Account/Login?ReturnUrl=", signIn.Location!.OriginalString, StringComparison.Ordinal);
        Assert.DoesNotContain("Payroll", signIn.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/status/{slug}/history")).Status);

        using var outsider = await new OwnerClient(app).RegisterAsync();
        var refused = await outsider.GetAsync($"/status/{slug}");
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.DoesNotContain("Payroll", refused.Body, StringComparison.Ordinal);
        // No password form for a members page either.
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/status/{slug}/unlock")).Status);
    }
}
