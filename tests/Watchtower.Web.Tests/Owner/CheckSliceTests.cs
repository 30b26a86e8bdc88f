using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Watchtower.Probes;
using Watchtower.Probes.Tcp;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Web.Tests.Owner;

/// <summary>The check form as a new user meets it: kind switching, fields that act, pages from the check, state the owner can read.</summary>
public abstract class CheckSliceTests(AppFixture fixture)
{
    [Fact]
    public async Task Switching_the_kind_keeps_the_name_the_target_and_the_shared_fields()
    {
        using var owner = await new OwnerClient(await fixture.UseAsync()).RegisterAsync();
        var form = OwnerSteps.CheckForm("Shop", "shop.example.com", "465", interval: "120", timeout: "7");
        form["Input.FailureThreshold"] = "3";
        form["switchTo"] = "Ssl";

        var ssl = await owner.PostFormAsync("/Checks/Create?handler=Kind", form, formPage: "/Checks/Create");
        var http = await owner.PostFormAsync("/Checks/Create?handler=Kind", new()
        {
            ["Input.Kind"] = "Ssl", ["Input.Name"] = "Shop", ["Input.Ssl.Host"] = "shop.example.com", ["Input.Ssl.Port"] = "465", ["switchTo"] = "Http",
        }, formPage: "/Checks/Create");

        Assert.Equal(HttpStatusCode.OK, ssl.Status);
        Assert.Equal("New SSL certificate check", ssl.Text("h1"));
        Assert.Equal("Shop", ssl.Document.QuerySelector("#Input_Name")?.GetAttribute("value"));
        Assert.Equal("shop.example.com", ssl.Document.QuerySelector("#Input_Ssl_Host")?.GetAttribute("value"));
        Assert.Equal("465", ssl.Document.QuerySelector("#Input_Ssl_Port")?.GetAttribute("value"));
        Assert.Equal("7", ssl.Document.QuerySelector("#Input_TimeoutSeconds")?.GetAttribute("value"));
        Assert.Equal("3", ssl.Document.QuerySelector("#Input_FailureThreshold")?.GetAttribute("value"));
        Assert.Equal("120", ssl.Document.QuerySelector("#Input_IntervalSeconds option[selected]")?.GetAttribute("value"));
        Assert.Empty(ssl.Text(".field-error")); // switching is not saving: nothing is judged yet
        Assert.Equal("https://shop.example.com/", http.Document.QuerySelector("#Input_Http_Url")?.GetAttribute("value"));
        Assert.Equal("Website", http.Document.QuerySelector("#Input_Name")?.GetAttribute("placeholder"));
    }

    [Fact]
    public async Task A_kind_shows_only_the_fields_that_act_on_it()
    {
        using var owner = await new OwnerClient(await fixture.UseAsync()).RegisterAsync();

        var portOpen = await owner.GetAsync("/Checks/Create?kind=Tcp");
        var smtps = await owner.GetAsync("/Checks/Create?kind=Tcp&port=465");
        var seo = await owner.GetAsync("/Checks/Create?kind=Seo");
        var dns = await owner.GetAsync("/Checks/Create?kind=Dns");

        bool Shown(OwnerClient.Page page, string id) =>
            page.Document.QuerySelector(id) is { } field && field.Closest("[hidden]") is null;
        Assert.False(Shown(portOpen, "#Input_Tcp_CertificateWarningDays"), "no certificate on a port-open check");
        Assert.False(Shown(portOpen, "#Input_Tcp_ReadTimeoutSeconds"), "nothing is read on a port-open check");
        Assert.False(Shown(portOpen, "#Input_Tcp_Send"), "send and expect are for custom checks");
        Assert.Equal("Smtps", smtps.Document.QuerySelector("#Input_Tcp_Service option[selected]")?.GetAttribute("value"));
        Assert.True(Shown(smtps, "#Input_Tcp_CertificateWarningDays"), "SMTPS speaks TLS");
        Assert.True(Shown(smtps, "#Input_Tcp_ReadTimeoutSeconds"));
        Assert.False(Shown(smtps, "#Input_Tcp_StartTls"), "SMTPS starts with TLS; STARTTLS is for SMTP");
        Assert.Null(seo.Document.QuerySelector("[id$=CertificateWarningDays]"));
        Assert.Null(dns.Document.QuerySelector("[id$=CertificateWarningDays]"));
        Assert.Contains("first byte", (await owner.GetAsync("/Checks/Create?kind=Http")).Text("#latency-help"), StringComparison.Ordinal);
        Assert.Contains("TLS handshake", (await owner.GetAsync("/Checks/Create?kind=Ssl")).Text("#latency-help"), StringComparison.Ordinal);
        Assert.Contains("whole run", portOpen.Text("#timeout-help"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fields_that_do_not_act_on_the_chosen_service_are_not_stored()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var form = OwnerSteps.CheckForm("SSH", "ssh.example.com", "22");
        form["Input.Tcp.Service"] = "Ssh";
        form["Input.Tcp.StartTls"] = "true";
        form["Input.Tcp.Send"] = "PING";
        form["Input.Tcp.Expect"] = "PONG";
        form["Input.Tcp.CertificateName"] = "other.example.com";

        var id = await owner.CreateCheckAsync(form);

        await using var scope = app.CreateScope(out var db);
        var tcp = (await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken)).Tcp!;
        Assert.Equal((TcpService.Ssh, false, (string?)null, (string?)null, (string?)null), (tcp.Service, tcp.StartTls, tcp.Send, tcp.Expect, tcp.CertificateName));
    }

    [Fact]
    public async Task A_check_goes_on_a_page_from_its_form_and_from_its_own_page()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        var slug = OwnerSteps.UniqueSlug();
        var pageId = await owner.CreatePageAsync("Acme", slug);
        var form = OwnerSteps.CheckForm("Mail");
        form["Input.PagesChosen"] = "true";
        form["Input.PageIds"] = pageId.ToString(CultureInfo.InvariantCulture);

        var created = await owner.GetAsync("/Checks/Create");
        var fromForm = await owner.CreateCheckAsync(form);
        var other = await owner.CreateCheckAsync(OwnerSteps.CheckForm("Database", port: "5432"));
        var added = await owner.PostFormAsync($"/Checks/{other}?handler=Page", new() { ["pageId"] = pageId.ToString(CultureInfo.InvariantCulture), ["shown"] = "true" },
            formPage: $"/Checks/{other}");
        var unticked = OwnerSteps.CheckForm("Mail");
        unticked["Input.PagesChosen"] = "true"; // the page's box left empty posts nothing else
        var edited = await owner.PostFormAsync($"/Checks/{fromForm}/Edit", unticked);

        Assert.Equal("Acme", created.Text("fieldset.pages label"));
        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        Assert.Equal(HttpStatusCode.Redirect, edited.Status);
        await using var scope = app.CreateScope(out var db);
        var placed = await db.StatusPageChecks.Where(pc => pc.StatusPageId == pageId).OrderBy(pc => pc.SortOrder).Select(pc => pc.CheckId).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([other], placed);
        var otherPage = await owner.GetAsync($"/Checks/{other}");
        Assert.Contains("Shown on Acme", otherPage.Text("#check-pages"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_whose_address_is_not_confirmed_saves_and_tests_no_check()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync(confirm: false);
        await using var listener = new LoopbackListener();
        var form = OwnerSteps.CheckForm("Mail", "127.0.0.1", listener.Port.ToString(CultureInfo.InvariantCulture));

        var save = await owner.PostFormAsync("/Checks/Create", form);
        var test = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");

        Assert.Equal(HttpStatusCode.OK, save.Status);
        Assert.Contains("Confirm your email address first", save.Text(".errors"), StringComparison.Ordinal);
        Assert.Contains("Confirm your email address first", test.Text(".errors"), StringComparison.Ordinal);
        Assert.Null(test.Document.QuerySelector("#test-result[data-state]"));
        Assert.Equal(0, listener.Accepted);
        await using var scope = app.CreateScope(out var db);
        Assert.False(await db.Checks.AnyAsync(c => db.TeamMembers.Any(m => m.TeamId == c.TeamId && m.User!.Email == owner.Email), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Pages_of_another_account_cannot_be_chosen()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        using var stranger = await new OwnerClient(app).RegisterAsync();
        var theirs = await stranger.CreatePageAsync("Theirs");
        var mine = await owner.CreateCheckAsync();
        var form = OwnerSteps.CheckForm("Mail");
        form["Input.PagesChosen"] = "true";
        form["Input.PageIds"] = theirs.ToString(CultureInfo.InvariantCulture);

        var create = await owner.PostFormAsync("/Checks/Create", form);
        var add = await owner.PostFormAsync($"/Checks/{mine}?handler=Page", new() { ["pageId"] = theirs.ToString(CultureInfo.InvariantCulture), ["shown"] = "true" },
            formPage: $"/Checks/{mine}");

        Assert.Equal("Choose status pages from the list.", create.FieldError("Input.PageIds"));
        Assert.Equal(HttpStatusCode.NotFound, add.Status);
        await using var scope = app.CreateScope(out var db);
        Assert.False(await db.StatusPageChecks.AnyAsync(pc => pc.StatusPageId == theirs, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_test_result_comes_first_in_the_form_and_a_failure_shows_its_reason_code()
    {
        using var owner = await new OwnerClient(await fixture.UseAsync()).RegisterAsync();
        var form = OwnerSteps.CheckForm("Dead port", "127.0.0.1", ServerProcess.FreePort().ToString(CultureInfo.InvariantCulture));

        var response = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");

        var formElement = response.Document.QuerySelector("#check-form")!;
        var result = formElement.QuerySelector("#test-result");
        Assert.NotNull(result);
        Assert.True(result.CompareDocumentPosition(formElement.QuerySelector("#Input_Name")!).HasFlag(AngleSharp.Dom.DocumentPositions.Following),
            "the result is above the fields, where the page opens");
        Assert.Equal("refused", response.Text("#test-reason"));
        Assert.Contains("connection was refused", response.Text("#test-facts"), StringComparison.Ordinal);
    }
}

public sealed class CheckSliceTests_Sqlite(SqliteAppFixture fixture) : CheckSliceTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class CheckSliceTests_Postgres(PostgresAppFixture fixture) : CheckSliceTests(fixture), IClassFixture<PostgresAppFixture>;

/// <summary>A setting the host cannot work with stops it at start, and the message names the setting.</summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("Watchtower:Engine:BatchSize", "0")]
    [InlineData("Watchtower:Engine:WorkerCount", "0")]
    [InlineData("Watchtower:Engine:MaxProbesInFlight", "-1")]
    [InlineData("Watchtower:Engine:LeaseMargin", "00:00:00")]
    [InlineData("Watchtower:Engine:MinimumIntervalSeconds", "0")]
    [InlineData("Watchtower:Engine:Queues:0", "Bad Queue")]
    [InlineData("Watchtower:RateLimits:TestNowPerMinute", "0")]
    [InlineData("Watchtower:Probes:Tls:TrustedRootFiles:0", "/nonexistent/root.pem")]
    public async Task A_bad_value_stops_the_host_naming_the_setting(string setting, string value)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var app = await WatchtowerApp.CreateAsync(new AppOptions { Settings = new Dictionary<string, string?> { [setting] = value } },
                TestContext.Current.CancellationToken);
            _ = app.Services;
        });

        var named = setting.EndsWith(":0", StringComparison.Ordinal) ? setting[..^2] : setting; // a list setting is named without its index
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }
}
