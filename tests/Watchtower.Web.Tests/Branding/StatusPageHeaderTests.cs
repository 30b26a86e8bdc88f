using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Testing;
using Watchtower.Web.Branding;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Branding;

/// <summary>The page header an owner sets — logo, link back, accent colour — and the groups, through the real app and database.</summary>
public sealed class StatusPageHeaderTests
{
    [Fact]
    public async Task A_logo_link_and_accent_show_in_the_header_and_the_logo_is_served_at_its_hash_for_a_year()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Postgres }, ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        var png = TestImages.Png(64, 32, (0x1f, 0x6f, 0xeb));

        var saved = await owner.PostBrandingAsync(pageId, new() { ["Input.SiteUrl"] = "https://acme.example/home", ["Input.AccentColor"] = "#1F6FEB", ["Input.Visibility"] = "Public" }, (png, "logo.png", "image/png"));
        Assert.True(saved.Status == HttpStatusCode.Redirect, saved.Text(".field-error"));

        using var reader = new OwnerClient(app);
        var page = await reader.GetAsync($"/status/{slug}");
        var logo = page.Document.QuerySelector("#page-logo")!;
        Assert.Matches($"^/status/{slug}/logo-[0-9a-f]{{16}}\\.png$", logo.GetAttribute("src"));
        Assert.Equal(("64", "32", ""), (logo.GetAttribute("width"), logo.GetAttribute("height"), logo.GetAttribute("alt")));
        Assert.Equal("https://acme.example/home", page.Document.QuerySelector("#site-link")?.GetAttribute("href"));
        Assert.Contains("accented", page.Document.QuerySelector("#page-header")?.ClassName, StringComparison.Ordinal);
        var theme = page.Document.QuerySelectorAll("link[rel=stylesheet]").Select(l => l.GetAttribute("href")).Single(h => h!.Contains("theme-", StringComparison.Ordinal));
        Assert.Equal($"/status/{slug}/theme-1f6feb.css", theme);

        var image = await BrandingSteps.GetAsync(reader.Http, logo.GetAttribute("src")!);
        Assert.Equal(HttpStatusCode.OK, image.Status);
        Assert.Equal(png, image.Bytes);
        Assert.Equal("image/png", image.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", image.Response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(365), image.Response.Headers.CacheControl?.MaxAge);
        Assert.Equal(HttpStatusCode.NotFound, (await BrandingSteps.GetAsync(reader.Http, $"/status/{slug}/logo-0123456789abcdef.png")).Status);

        var css = await BrandingSteps.GetAsync(reader.Http, theme!);
        var text = System.Text.Encoding.UTF8.GetString(css.Bytes);
        Assert.Contains("background: #1f6feb; color: #ffffff;", text, StringComparison.Ordinal);
        Assert.True(AccentColor.ContrastRatio("#1f6feb", AccentColor.TextOn("#1f6feb")) >= 4.5);

        // A new logo changes the address; JPEG and WebP are kept as what they are.
        var webp = TestImages.WebPLossless(200, 100);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostBrandingAsync(pageId, new() { ["Input.Visibility"] = "Public" }, (webp, "logo.webp", "image/webp"))).Status);
        page = await reader.GetAsync($"/status/{slug}");
        var src = page.Document.QuerySelector("#page-logo")!.GetAttribute("src")!;
        Assert.EndsWith(".webp", src, StringComparison.Ordinal);
        Assert.Equal(webp, (await BrandingSteps.GetAsync(reader.Http, src)).Bytes);
        Assert.Null(page.Document.QuerySelector("#site-link")); // cleared with the form's empty field

        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostBrandingAsync(pageId, new() { ["Input.Visibility"] = "Public", ["Input.RemoveLogo"] = "true" })).Status);
        Assert.Null((await reader.GetAsync($"/status/{slug}")).Document.QuerySelector("#page-logo"));
        await using (app.CreateScope(out var db))
        {
            Assert.Equal(0, await db.StatusPageLogos.CountAsync(ct));
        }
    }

    [Fact]
    public async Task Bad_uploads_links_and_colours_are_field_errors_and_nothing_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions(), ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        var good = new Dictionary<string, string> { ["Input.SiteUrl"] = "https://acme.example", ["Input.AccentColor"] = "#112233", ["Input.Visibility"] = "Public" };

        var cases = new (string Name, Dictionary<string, string> Fields, (byte[], string, string)? File, string Field, string Message)[]
        {
            ("oversized", good, (TestImages.Png(10, 10, (1, 2, 3), padding: 600 * 1024), "big.png", "image/png"), "Input.Logo", "the most is 512 KB"),
            ("not an image", good, ("hello, this is text"u8.ToArray(), "logo.png", "image/png"), "Input.Logo", "not a PNG, JPEG or WebP"),
            ("svg", good, ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), "logo.svg", "image/svg+xml"), "Input.Logo", "SVG logos are not accepted"),
            ("gif", good, ("GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;"u8.ToArray(), "logo.gif", "image/gif"), "Input.Logo", "not a PNG, JPEG or WebP"),
            ("too wide", good, (TestImages.Png(2000, 10, (1, 2, 3)), "wide.png", "image/png"), "Input.Logo", "2000×10 pixels"),
            ("jpeg too tall", good, (TestImages.JpegHeader(100, 4000), "tall.jpg", "image/jpeg"), "Input.Logo", "100×4000 pixels"),
            ("truncated png", good, (TestImages.Png(10, 10, (1, 2, 3))[..40], "cut.png", "image/png"), "Input.Logo", "not a PNG, JPEG or WebP"),
            ("javascript link", new() { ["Input.SiteUrl"] = "javascript:alert(1)", ["Input.Visibility"] = "Public" }, null, "Input.SiteUrl", "https://"),
            ("data link", new() { ["Input.SiteUrl"] = "data:text/html,<script>alert(1)</script>", ["Input.Visibility"] = "Public" }, null, "Input.SiteUrl", "https://"),
            ("relative link", new() { ["Input.SiteUrl"] = "//evil.example", ["Input.Visibility"] = "Public" }, null, "Input.SiteUrl", "https://"),
            ("credentials in link", new() { ["Input.SiteUrl"] = "https://user:pw@acme.example", ["Input.Visibility"] = "Public" }, null, "Input.SiteUrl", "user name and password"),
            ("colour word", new() { ["Input.AccentColor"] = "red", ["Input.Visibility"] = "Public" }, null, "Input.AccentColor", "six hexadecimal digits"),
            ("colour with css", new() { ["Input.AccentColor"] = "#fff;}body{display:none", ["Input.Visibility"] = "Public" }, null, "Input.AccentColor", "six hexadecimal digits"),
            ("password too short", new() { ["Input.Visibility"] = "Password", ["Input.NewPassword"] = "short" }, null, "Input.NewPassword", "from 8 to 100"),
            ("password page without password", new() { ["Input.Visibility"] = "Password" }, null, "Input.NewPassword", "Set a password"),
        };
        foreach (var (name, fields, file, field, message) in cases)
        {
            var answer = await owner.PostBrandingAsync(pageId, fields, file);
            Assert.True(answer.Status == HttpStatusCode.OK, $"{name}: {answer.Status}");
            Assert.Contains(message, answer.FieldError(field), StringComparison.Ordinal);
        }

        await using (app.CreateScope(out var db))
        {
            var page = await db.StatusPages.AsNoTracking().SingleAsync(p => p.Id == pageId, ct);
            Assert.Equal((null, null, null, StatusPageVisibility.Public, null), (page.LogoHash, page.SiteUrl, page.AccentColor, page.Visibility, page.PasswordHash));
            Assert.Equal(0, await db.StatusPageLogos.CountAsync(ct));
        }

        var reader = await new OwnerClient(app).GetAsync($"/status/{slug}");
        Assert.Null(reader.Document.QuerySelector("#page-logo"));
        Assert.Null(reader.Document.QuerySelector("#site-link"));
    }

    [Theory]
    [InlineData("#000000")]
    [InlineData("#ffffff")]
    [InlineData("#777777")]
    [InlineData("#767676")]
    [InlineData("#ff0000")]
    [InlineData("#00ff00")]
    [InlineData("#0000ff")]
    [InlineData("#ffff00")]
    [InlineData("#1f6feb")]
    [InlineData("#b4440e")]
    public void The_text_on_any_accent_has_a_contrast_of_at_least_4_5(string accent)
    {
        var text = AccentColor.TextOn(accent);
        Assert.True(AccentColor.ContrastRatio(accent, text) >= 4.5, $"{accent} with {text}: {AccentColor.ContrastRatio(accent, text):0.00}");
        Assert.Equal(21, AccentColor.ContrastRatio("#000000", "#ffffff"), 2);
    }

    [Fact]
    public async Task Groups_gather_checks_under_a_collapsible_heading_whose_state_is_the_worst_of_its_checks()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions { Store = TestStore.Postgres }, ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var smtp = await owner.CreateCheckAsync(OwnerSteps.CheckForm("SMTP", "mail.example.com", "25"));
        var imap = await owner.CreateCheckAsync(OwnerSteps.CheckForm("IMAP", "mail.example.com", "993"));
        var db1 = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Primary DB", "db.example.com", "5432"));
        var web = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Website", "www.example.com", "443"));
        await using (app.CreateScope(out var db))
        {
            await db.Checks.Where(c => c.Id == smtp || c.Id == web).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CheckState.Up), ct);
            await db.Checks.Where(c => c.Id == imap).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CheckState.Down), ct);
            await db.Checks.Where(c => c.Id == db1).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CheckState.Up), ct);
        }

        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        var form = new Dictionary<string, string>
        {
            ["Input.Name"] = "Acme", ["Input.Slug"] = slug,
            ["Groups[0].Name"] = "Email", ["Groups[0].Position"] = "2",
            ["Groups[1].Name"] = "Databases", ["Groups[1].Position"] = "1",
            ["Groups[2].Name"] = "", ["Groups[2].Position"] = "3",
        };
        var rows = new[] { (web, 0), (smtp, 1), (imap, 1), (db1, 2) };
        for (var i = 0; i < rows.Length; i++)
        {
            form[$"Choices[{i}].CheckId"] = rows[i].Item1.ToString(System.Globalization.CultureInfo.InvariantCulture);
            form[$"Choices[{i}].Shown"] = "true";
            form[$"Choices[{i}].Position"] = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            form[$"Choices[{i}].Group"] = rows[i].Item2.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var saved = await owner.PostFormAsync($"/StatusPages/{pageId}/Edit", form);
        Assert.True(saved.Status == HttpStatusCode.Redirect, saved.Text(".field-error, .errors"));

        var page = await new OwnerClient(app).GetAsync($"/status/{slug}");
        Assert.True(page.Status == HttpStatusCode.OK, page.Body);
        Assert.Equal("Website", page.Text("#services .service .name"));
        var groups = page.Document.QuerySelectorAll("details.group").ToList();
        Assert.Equal(["Databases", "Email"], groups.Select(g => g.QuerySelector("summary .group-name")!.TextContent.Trim()));
        Assert.Equal(("Primary DB", "Operational", false), (groups[0].QuerySelector(".service .name")!.TextContent, groups[0].QuerySelector("summary .badge")!.TextContent, groups[0].HasAttribute("open")));
        Assert.Equal(("SMTP | IMAP", "Major outage", true),
            (string.Join(" | ", groups[1].QuerySelectorAll(".service .name").Select(e => e.TextContent)), groups[1].QuerySelector("summary .badge")!.TextContent, groups[1].HasAttribute("open")));

        // The editor shows the groups back, each check's choice kept, and an empty row to add one.
        var editor = await owner.GetAsync($"/StatusPages/{pageId}/Edit");
        Assert.Equal(("Databases", "Email", ""), (editor.Document.QuerySelector("#group-name-0")!.GetAttribute("value"), editor.Document.QuerySelector("#group-name-1")!.GetAttribute("value"), editor.Document.QuerySelector("#group-name-2")!.GetAttribute("value") ?? ""));
        Assert.Equal("Email", editor.Document.QuerySelector($"#group-of-{imap} option[selected]")?.TextContent);

        // Two groups of one name: a message at the second, nothing saved.
        form["Groups[1].Name"] = "email";
        var refused = await owner.PostFormAsync($"/StatusPages/{pageId}/Edit", form);
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("already named", refused.FieldError("Groups[1].Name"), StringComparison.Ordinal);

        // Clearing a group's name removes it; its checks stay on the page, ungrouped.
        form["Groups[1].Name"] = "";
        form["Groups[0].Name"] = "";
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/StatusPages/{pageId}/Edit", form)).Status);
        page = await new OwnerClient(app).GetAsync($"/status/{slug}");
        Assert.Empty(page.Document.QuerySelectorAll("details.group"));
        Assert.Equal("Website | SMTP | IMAP | Primary DB", page.Text("#services .service .name"));
        await using (app.CreateScope(out var db))
        {
            Assert.Equal(0, await db.StatusPageGroups.CountAsync(ct));
        }
    }

    [Fact]
    public async Task The_operator_can_turn_off_the_powered_by_line()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var on = await WatchtowerApp.CreateAsync(new AppOptions(), ct);
        using var owner = await new OwnerClient(on).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        await owner.CreatePageAsync("Acme", slug);
        Assert.Contains("Powered by", (await owner.GetAsync($"/status/{slug}")).Text("#powered-by"), StringComparison.Ordinal);

        await using var off = await WatchtowerApp.CreateAsync(new AppOptions { Settings = new Dictionary<string, string?> { ["Watchtower:StatusPages:PoweredBy"] = "false" } }, ct);
        using var other = await new OwnerClient(off).RegisterAsync();
        await other.CreatePageAsync("Acme", slug);
        var page = await other.GetAsync($"/status/{slug}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Null(page.Document.QuerySelector("#powered-by"));
        Assert.DoesNotContain("Powered by", page.Body, StringComparison.Ordinal);
    }
}
