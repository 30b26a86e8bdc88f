using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Watchtower.Testing;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Hardening;

/// <summary>
/// Bad input is a 400 with a sentence that says what was wrong — on the same error page as any other
/// error, never a stack trace and never a 500 — and nothing is saved. Every request carries a valid
/// antiforgery token and session, so what is refused is the input itself, not a missing token.
/// </summary>
public sealed class BadInputHardeningTests(SqliteAppFixture fixture) : IClassFixture<SqliteAppFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/Checks/{0}", "This page has no action for a form sent without one.")]
    [InlineData("/Checks/{0}?handler=Nope", "This page has no action “Nope”.")]
    [InlineData("/Checks/{0}/Edit?handler=Nope", "This page has no action “Nope”.")]
    [InlineData("/Checks/{0}/Delete?handler=Pause", "This page has no action “Pause”.")]
    public async Task A_post_to_an_action_the_page_does_not_have_is_a_400_and_changes_nothing(string url, string message)
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var checkId = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail server", "mail.example.com"));
        var before = await AuditCountAsync(app, owner);

        // The edit form's fields, as if the post were a save: /Checks/5/Edit has a plain OnPost that
        // Razor Pages would have run for ?handler=Nope, renaming the check.
        var form = OwnerSteps.CheckForm("Renamed", "other.example.com");
        var page = await owner.PostFormAsync(string.Format(CultureInfo.InvariantCulture, url, checkId), form, formPage: $"/Checks/{checkId}/Edit");

        AssertRefused(page, HttpStatusCode.BadRequest, message);
        await using var scope = app.CreateScope(out var db);
        var check = await db.Checks.AsNoTracking().SingleAsync(c => c.Id == checkId, Cancel);
        Assert.Equal("Mail server", check.Name);
        Assert.True(check.Enabled);
        Assert.Equal(before, await AuditCountAsync(app, owner));
    }

    [Fact]
    public async Task The_status_page_editor_refuses_a_check_listed_twice_and_saves_nothing()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var checkId = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail server", "mail.example.com"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        var before = await AuditCountAsync(app, owner);
        var id = checkId.ToString(CultureInfo.InvariantCulture);
        var form = new Dictionary<string, string>
        {
            ["Input.Name"] = "Renamed", ["Input.Slug"] = slug,
            ["Choices[0].CheckId"] = id, ["Choices[0].Shown"] = "true", ["Choices[0].Position"] = "1",
            ["Choices[1].CheckId"] = id, ["Choices[1].Shown"] = "true", ["Choices[1].Position"] = "2",
        };

        var save = await owner.PostFormAsync($"/StatusPages/{pageId}/Edit", form);
        var move = await owner.PostFormAsync($"/StatusPages/{pageId}/Edit?handler=Move", new(form) { ["move"] = $"{id}:down" });

        var expected = $"This form lists check #{id} more than once; a page shows each check once.";
        AssertRefused(save, HttpStatusCode.BadRequest, expected);
        AssertRefused(move, HttpStatusCode.BadRequest, expected);
        await using var scope = app.CreateScope(out var db);
        var stored = await db.StatusPages.AsNoTracking().Include(p => p.Checks).SingleAsync(p => p.Id == pageId, Cancel);
        Assert.Equal("Acme", stored.Name);
        Assert.Empty(stored.Checks);
        Assert.Equal(before, await AuditCountAsync(app, owner));
    }

    /// <summary>A request body in a character set other than UTF-8; before, utf-7 was a 500 and an unknown one was read as UTF-8 in silence.</summary>
    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=utf-7", "This form was sent in a character set Watchtower does not read (utf-7); send UTF-8.")]
    [InlineData("application/x-www-form-urlencoded; charset=klingon-1", "This form was sent in a character set Watchtower does not read (klingon-1); send UTF-8.")]
    [InlineData("application/x-www-form-urlencoded; charset=iso-8859-1", "This form was sent in a character set Watchtower does not read (iso-8859-1); send UTF-8.")]
    [InlineData("multipart/form-data; boundary=x; charset=utf-7", "This form was sent in a character set Watchtower does not read (utf-7); send UTF-8.")]
    public async Task A_form_in_another_character_set_is_a_400_that_asks_for_utf8(string contentType, string message) =>
        await AssertPageFormRefusedAsync(contentType, token => Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Name=Acme"), message);

    public static TheoryData<string, string, string> UnreadableForms() => new()
    {
        { "junk Content-Type", ";;;junk", "The Content-Type header of this request (“;;;junk”) could not be read." },
        { "not a form", "text/plain", "This page reads forms only, and this request was sent as text/plain." },
        { "multipart without a boundary", "multipart/form-data", "This form could not be read: Missing content-type boundary." },
        { "more fields than the limit", "application/x-www-form-urlencoded", "This form could not be read: Form value count limit 1024 exceeded." },
        { "a key longer than the limit", "application/x-www-form-urlencoded", "This form could not be read: Form key length limit 2048 exceeded." },
        { "a % that starts no escape", "application/x-www-form-urlencoded", "This form is not well-formed: it has a % that does not start an escape such as %20." },
        { "a % at the very end", "application/x-www-form-urlencoded", "This form is not well-formed: it has a % that does not start an escape such as %20." },
        { "escaped bytes that are not UTF-8", "application/x-www-form-urlencoded", "This form holds bytes that are not UTF-8; send UTF-8." },
        { "raw Latin-1 bytes", "application/x-www-form-urlencoded", "This form holds bytes that are not UTF-8; send UTF-8." },
    };

    /// <summary>A junk Content-Type, a body over the form limits, a malformed urlencoded body: each a 400 saying which.</summary>
    [Theory]
    [MemberData(nameof(UnreadableForms))]
    public async Task A_form_that_cannot_be_read_is_a_400_that_says_why(string what, string contentType, string message) =>
        await AssertPageFormRefusedAsync(contentType, token => what switch
        {
            "more fields than the limit" => Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Name=Acme&"
                + string.Join('&', Enumerable.Range(0, 1100).Select(i => string.Create(CultureInfo.InvariantCulture, $"f{i}=x")))),
            "a key longer than the limit" => Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Name=Acme&{new string('k', 3000)}=x"),
            "a % that starts no escape" => Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Name=100%zz"),
            "a % at the very end" => Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Name=Acme%"),
            "escaped bytes that are not UTF-8" => Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Name=caf%E9"),
            "raw Latin-1 bytes" => [.. Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Name=caf"), 0xE9],
            _ => Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Name=Acme"),
        }, message);

    /// <summary>The checks refuse what they should and nothing else: UTF-8 named in any usual way, and multi-byte text across the reading buffer, still save.</summary>
    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/x-www-form-urlencoded; charset=UTF-8")]
    [InlineData("application/x-www-form-urlencoded; charset=\"utf-8\"")]
    public async Task A_well_formed_utf8_form_is_still_saved(string contentType)
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var token = await owner.AntiforgeryTokenAsync("/StatusPages/Create");
        // "Café ☕ 😀", and a field the page does not bind, 27 KB of "☕" whose escapes and three-byte
        // sequences straddle the 16 KB chunks the check reads the body in.
        var padding = string.Concat(Enumerable.Repeat("%E2%98%95", 3000));
        var body = Encoding.ASCII.GetBytes($"__RequestVerificationToken={token}&Input.Name=Caf%C3%A9+%E2%98%95+%F0%9F%98%80&Input.Slug={OwnerSteps.UniqueSlug()}&Input.Description=%C3%A9t%C3%A9&Padding={padding}");

        using var response = await PostRawAsync(owner, "/StatusPages/Create", contentType, body);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await using var scope = app.CreateScope(out var db);
        var page = await db.StatusPages.AsNoTracking().SingleAsync(p => db.TeamMembers.Any(m => m.TeamId == p.TeamId && m.User!.Email == owner.Email), Cancel);
        Assert.Equal("Café ☕ 😀", page.Name);
        Assert.Equal("été", page.Description);
    }

    private async Task AssertPageFormRefusedAsync(string contentType, Func<string, byte[]> body, string message)
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var token = await owner.AntiforgeryTokenAsync("/StatusPages/Create");
        var before = await AuditCountAsync(app, owner);

        using var response = await PostRawAsync(owner, "/StatusPages/Create", contentType, body(Uri.EscapeDataString(token)));

        AssertRefused(await OwnerClient.Page.FromAsync(response), HttpStatusCode.BadRequest, message);
        await using var scope = app.CreateScope(out var db);
        Assert.False(await db.StatusPages.AnyAsync(p => db.TeamMembers.Any(m => m.TeamId == p.TeamId && m.User!.Email == owner.Email), Cancel));
        Assert.Equal(before, await AuditCountAsync(app, owner));
    }

    /// <summary>Posts bytes as they are, with a Content-Type header as given (HttpClient would reject a junk one).</summary>
    private static async Task<HttpResponseMessage> PostRawAsync(OwnerClient owner, string url, string contentType, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        Assert.True(content.Headers.TryAddWithoutValidation("Content-Type", contentType));
        return await owner.Http.PostAsync(new Uri(url, UriKind.Relative), content, Cancel);
    }

    /// <summary>The error page (never a stack trace) with its status, title and the reason.</summary>
    private static void AssertRefused(OwnerClient.Page page, HttpStatusCode status, string message)
    {
        Assert.Equal(status, page.Status);
        Assert.Equal("Bad request", page.Text("#error-title"));
        Assert.StartsWith(message, page.Text("#error-detail"), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page.Body, StringComparison.Ordinal);
    }

    private static async Task<int> AuditCountAsync(WatchtowerApp app, OwnerClient owner)
    {
        await using var scope = app.CreateScope(out var db);
        return await db.AuditEvents.CountAsync(e => db.TeamMembers.Any(m => m.TeamId == e.TeamId && m.User!.Email == owner.Email), Cancel);
    }
}
