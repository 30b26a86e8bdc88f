using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Testing;
using Watchtower.Testing.Servers;
using Watchtower.Web.Tests.Owner;

namespace Watchtower.Web.Tests.Branding;

/// <summary>Custom domains through the real app, a real DNS server on 127.0.0.1 and the Host header.</summary>
public sealed class CustomDomainTests
{
    [Fact]
    public async Task A_domain_proven_by_TXT_serves_its_page_at_the_root_and_bad_or_taken_names_are_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dns = new TestDnsServer();
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions
        {
            Store = TestStore.Postgres,
            Settings = new Dictionary<string, string?>
            {
                ["Watchtower:StatusPages:DnsServers:0"] = dns.Endpoint,
                ["Watchtower:StatusPages:CacheSeconds"] = "600",
            },
        }, ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var check = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Mail server", "mail.example.com", "25"));
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(pageId, "Acme", slug, check);
        var domain = $"status-{Guid.NewGuid():N}"[..20] + ".acme.test";

        foreach (var (bad, message) in new[]
        {
            ("192.0.2.10", "not an IP address"),
            ("[2001:db8::1]", "not an IP address"),
            ("localhost", "for this machine"),
            ("printer.local", "for this machine"),
            ("localhost:5000", "only the host name"),
            ("https://status.acme.test/", "only the host name"),
            ("not a domain", "not a valid host name"),
            ("-bad-.example.com", "not a valid host name"),
            ("intranet", "full host name"),
            ("example.123", "full host name"),
        })
        {
            var refused = await owner.PostFormAsync($"/StatusPages/{pageId}/Domain", new() { ["Input.Domain"] = bad });
            Assert.Equal(HttpStatusCode.OK, refused.Status);
            Assert.Contains(message, refused.FieldError("Input.Domain"), StringComparison.Ordinal);
        }

        await using (app.CreateScope(out var db))
        {
            Assert.Null((await db.StatusPages.AsNoTracking().SingleAsync(p => p.Id == pageId, ct)).CustomDomain);
        }

        // The instance's own host (the test client's is localhost).
        var own = await owner.PostFormAsync($"/StatusPages/{pageId}/Domain", new() { ["Input.Domain"] = app.ClientOptions.BaseAddress.Host });
        Assert.NotEqual("", own.FieldError("Input.Domain"));

        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/StatusPages/{pageId}/Domain", new() { ["Input.Domain"] = domain.ToUpperInvariant() + "." })).Status);
        var form = await owner.GetAsync($"/StatusPages/{pageId}/Domain");
        Assert.Equal($"_watchtower.{domain}", form.Text("#txt-name"));
        var value = form.Text("#txt-value");
        Assert.StartsWith("watchtower-verification=", value, StringComparison.Ordinal);

        // Not yet verified: the Host is not served, and the TLS question says no.
        using var reader = new OwnerClient(app);
        // (an unknown Host is the instance itself: its own home page, not the status page)
        Assert.Null((await BrandingSteps.GetAsync(reader.Http, "/", domain)).Document.QuerySelector("#page-name"));
        Assert.Equal(HttpStatusCode.NotFound, (await BrandingSteps.GetAsync(reader.Http, "/history", domain)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await BrandingSteps.GetAsync(reader.Http, $"/.well-known/watchtower/domain-check?domain={domain}")).Status);

        var missing = await owner.PostFormAsync($"/StatusPages/{pageId}/Domain?handler=Verify", []);
        Assert.Contains("No TXT record was found", missing.Text("#verify-problem"), StringComparison.Ordinal);
        dns.AddTxt($"_watchtower.{domain}", "watchtower-verification=someone-elses-token");
        var wrong = await owner.PostFormAsync($"/StatusPages/{pageId}/Domain?handler=Verify", []);
        Assert.Contains("does not hold this page's value", wrong.Text("#verify-problem"), StringComparison.Ordinal);
        dns.AddTxt($"_watchtower.{domain}", value);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/StatusPages/{pageId}/Domain?handler=Verify", [])).Status);
        Assert.Contains("Verified", (await owner.GetAsync($"/StatusPages/{pageId}/Domain")).Text("#domain-state"), StringComparison.Ordinal);

        // The page at the root of its domain, with links at the root; the instance's own address keeps its links.
        var home = await BrandingSteps.GetAsync(reader.Http, "/", domain);
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Equal(("Acme", "/history"), (home.Document.QuerySelector("#page-name")?.TextContent, home.Document.QuerySelector("#history-link")?.GetAttribute("href")));
        var main = await BrandingSteps.GetAsync(reader.Http, $"/status/{slug}");
        Assert.Equal($"/status/{slug}/history", main.Document.QuerySelector("#history-link")?.GetAttribute("href"));
        Assert.Equal("/history", (await BrandingSteps.GetAsync(reader.Http, "/", domain.ToUpperInvariant())).Document.QuerySelector("#history-link")?.GetAttribute("href"));
        var history = await BrandingSteps.GetAsync(reader.Http, "/history", domain);
        Assert.Equal((HttpStatusCode.OK, "/"), (history.Status, history.Document.QuerySelector("#back-link")?.GetAttribute("href")));
        Assert.Equal(HttpStatusCode.OK, (await BrandingSteps.GetAsync(reader.Http, $"/status/{slug}/history", domain)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await BrandingSteps.GetAsync(reader.Http, "/incidents/999999", domain)).Status);
        // The rest of the instance does not exist there.
        Assert.Equal(HttpStatusCode.NotFound, (await BrandingSteps.GetAsync(reader.Http, "/Account/Login", domain)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await BrandingSteps.GetAsync(reader.Http, "/Dashboard", domain)).Status);
        Assert.Equal(HttpStatusCode.OK, (await BrandingSteps.GetAsync(reader.Http, "/css/site.css", domain)).Status);
        Assert.Equal(HttpStatusCode.OK, (await BrandingSteps.GetAsync(reader.Http, $"/.well-known/watchtower/domain-check?domain={domain}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await BrandingSteps.GetAsync(reader.Http, "/.well-known/watchtower/domain-check?domain=unknown.example.com")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await BrandingSteps.GetAsync(reader.Http, "/.well-known/watchtower/domain-check")).Status);

        // Another team cannot take the domain, verified or not, and gets told why.
        using var rival = await new OwnerClient(app).RegisterAsync();
        var rivalPage = await rival.CreatePageAsync("Rival", OwnerSteps.UniqueSlug());
        var taken = await rival.PostFormAsync($"/StatusPages/{rivalPage}/Domain", new() { ["Input.Domain"] = domain });
        Assert.Equal(HttpStatusCode.OK, taken.Status);
        Assert.Contains("already used by another status page", taken.FieldError("Input.Domain"), StringComparison.Ordinal);
        // Nor read or verify this team's domain page.
        Assert.Equal(HttpStatusCode.NotFound, (await rival.GetAsync($"/StatusPages/{pageId}/Domain")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await rival.PostFormAsync($"/StatusPages/{pageId}/Domain?handler=Verify", [], formPage: $"/StatusPages/{rivalPage}/Domain")).Status);
        await using (app.CreateScope(out var db))
        {
            Assert.Null((await db.StatusPages.AsNoTracking().SingleAsync(p => p.Id == rivalPage, ct)).CustomDomain);
        }

        // Removing the domain stops serving it at once (the cached root entry is evicted with it).
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/StatusPages/{pageId}/Domain", new() { ["Input.Domain"] = "" })).Status);
        Assert.Null((await BrandingSteps.GetAsync(reader.Http, "/", domain)).Document.QuerySelector("#page-name"));
        Assert.Equal(HttpStatusCode.NotFound, (await BrandingSteps.GetAsync(reader.Http, "/history", domain)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await BrandingSteps.GetAsync(reader.Http, $"/.well-known/watchtower/domain-check?domain={domain}")).Status);
    }

    [Fact]
    public async Task A_password_page_on_its_custom_domain_asks_for_the_password_there_and_sets_its_cookie_for_that_host()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dns = new TestDnsServer();
        await using var app = await WatchtowerApp.CreateAsync(new AppOptions { Settings = new Dictionary<string, string?> { ["Watchtower:StatusPages:DnsServers:0"] = dns.Endpoint } }, ct);
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Private", slug);
        var domain = $"p{Guid.NewGuid():N}"[..12] + ".example.org";
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/StatusPages/{pageId}/Domain", new() { ["Input.Domain"] = domain })).Status);
        dns.AddTxt($"_watchtower.{domain}", (await owner.GetAsync($"/StatusPages/{pageId}/Domain")).Text("#txt-value"));
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync($"/StatusPages/{pageId}/Domain?handler=Verify", [])).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostBrandingAsync(pageId, new() { ["Input.Visibility"] = "Password", ["Input.NewPassword"] = "let me in please" })).Status);

        using var reader = new OwnerClient(app);
        var locked = await BrandingSteps.GetAsync(reader.Http, "/", domain);
        Assert.Equal(HttpStatusCode.Redirect, locked.Status);
        Assert.Equal("/unlock?returnUrl=%2F", locked.Response.Headers.Location?.OriginalString);
        var unlock = await BrandingSteps.GetAsync(reader.Http, "/unlock", domain);
        Assert.Equal(HttpStatusCode.OK, unlock.Status);
        Assert.NotNull(unlock.Document.QuerySelector("#unlock-form"));
    }
}
