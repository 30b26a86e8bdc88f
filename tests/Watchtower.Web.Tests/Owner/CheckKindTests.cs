using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Watchtower.Data.Entities;
using Watchtower.Probes;
using Watchtower.Testing;
using Watchtower.Testing.Servers;

namespace Watchtower.Web.Tests.Owner;

/// <summary>HTTP, DNS and SSL checks through the same form flow as TCP: kind → fields → Test now → save.</summary>
public abstract class CheckKindTests(AppFixture fixture)
{
    private static Dictionary<string, string> Form(ProbeKind kind, string name, params (string Field, string Value)[] fields)
    {
        var form = new Dictionary<string, string>
        {
            ["Input.Kind"] = kind.ToString(), ["Input.Name"] = name, ["Input.IntervalSeconds"] = "60", ["Input.TimeoutSeconds"] = "10",
        };
        foreach (var (field, value) in fields)
        {
            form[$"Input.{field}"] = value;
        }

        return form;
    }

    [Fact]
    public async Task The_create_page_offers_every_kind()
    {
        using var owner = await new OwnerClient(await fixture.UseAsync()).RegisterAsync();

        var http = await owner.GetAsync("/Checks/Create?kind=Http");
        var dns = await owner.GetAsync("/Checks/Create?kind=Dns");
        var ssl = await owner.GetAsync("/Checks/Create?kind=Ssl");

        Assert.Equal("New HTTP(S) check", http.Text("h1"));
        Assert.NotNull(http.Document.QuerySelector("#Input_Url"));
        Assert.NotNull(dns.Document.QuerySelector("#Input_RecordType"));
        Assert.Equal("443", ssl.Document.QuerySelector("#Input_Port")?.GetAttribute("value"));
        Assert.Equal(5, http.Document.QuerySelectorAll("nav.kinds a").Length);
    }

    [Fact]
    public async Task An_http_check_is_stored_from_its_url()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();

        var id = await owner.CreateCheckAsync(Form(ProbeKind.Http, "Shop", ("Url", "shop.example.com/health"), ("HttpMethod", "GET"),
            ("ExpectedStatus", "200,204"), ("MustContain", "OK"), ("HttpHeaders", "X-Probe: watchtower")));

        await using var scope = app.CreateScope(out var db);
        var check = await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
        Assert.Equal((ProbeKind.Http, "shop.example.com", 443), (check.Kind, check.Host, check.Port));
        var http = KindSettings.Parse(check.SettingsJson).Http!;
        Assert.Equal(("https://shop.example.com/health", "200,204", "OK"), (http.Url, http.ExpectedStatus, http.MustContain));
        Assert.Equal("X-Probe: watchtower", http.Headers);
        Assert.Contains("https://shop.example.com/health", (await owner.GetAsync("/Dashboard")).Text("#checks-table"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Url", "ftp://files.example.com/", "Input.Url", "http:// or https://")]
    [InlineData("Url", "http://user:secret@example.com/", "Input.Url", "user name or password")]
    [InlineData("Url", "", "Input.Url", "Enter the URL")]
    [InlineData("Url", "http://exa mple.com/", "Input.Url", "")]
    [InlineData("ExpectedStatus", "2xx", "Input.ExpectedStatus", "not a status code")]
    [InlineData("HttpHeaders", "no colon here", "Input.HttpHeaders", "not a header")]
    [InlineData("HttpMethod", "DELETE", "Input.HttpMethod", "GET, HEAD or POST")]
    [InlineData("HttpHeaders", "Host: evil.example.com", "Input.HttpHeaders", "sets “Host” itself")]
    [InlineData("HttpHeaders", "X-Ok: 1\nContent-Length: 5", "Input.HttpHeaders", "sets “Content-Length” itself")]
    [InlineData("HttpContentType", "json", "Input.HttpContentType", "not a media type")]
    public async Task Bad_http_input_gets_a_message_next_to_the_field(string field, string value, string errorField, string message)
    {
        using var owner = await new OwnerClient(await fixture.UseAsync()).RegisterAsync();
        var form = Form(ProbeKind.Http, "Shop", ("Url", "https://shop.example.com/"));
        form[$"Input.{field}"] = value;

        var response = await owner.PostFormAsync("/Checks/Create", form);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.False(string.IsNullOrWhiteSpace(response.FieldError(errorField)), $"expected a message next to {errorField}: {response.Text(".field-error")}");
        Assert.Contains(message, response.FieldError(errorField), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_now_runs_an_http_check_against_a_real_server()
    {
        using var owner = await new OwnerClient(await fixture.UseAsync()).RegisterAsync();
        await using var web = await TestWebServer.StartAsync();

        var response = await owner.PostFormAsync("/Checks/Create?handler=Test",
            Form(ProbeKind.Http, "Site", ("Url", web.HttpBase + "/redirect/2"), ("MustContain", "all is well")), formPage: "/Checks/Create");

        Assert.Equal("up", response.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.StartsWith("200 from", response.Text("#test-http"), StringComparison.Ordinal);
        Assert.Contains("/ok", response.Text("#test-http"), StringComparison.Ordinal);
        Assert.Contains("302", response.Text("#test-redirects"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dns_checks_validate_their_resolver_and_test_against_a_real_dns_server()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        using var dns = new TestDnsServer();

        var badResolver = await owner.PostFormAsync("/Checks/Create", Form(ProbeKind.Dns, "MX", ("Host", TestDnsServer.Zone), ("RecordType", "MX"), ("Resolver", "dns.example.com")));
        var noValues = await owner.PostFormAsync("/Checks/Create", Form(ProbeKind.Dns, "MX", ("Host", TestDnsServer.Zone), ("RecordType", "MX"), ("DnsExpectation", "Contains")));
        var tested = await owner.PostFormAsync("/Checks/Create?handler=Test",
            Form(ProbeKind.Dns, "MX", ("Host", TestDnsServer.Zone), ("RecordType", "MX"), ("Resolver", dns.Endpoint),
                ("DnsExpectation", "Contains"), ("DnsValues", $"10 mail.{TestDnsServer.Zone}")), formPage: "/Checks/Create");
        var id = await owner.CreateCheckAsync(Form(ProbeKind.Dns, "MX", ("Host", TestDnsServer.Zone), ("RecordType", "MX"), ("Resolver", dns.Endpoint)));

        Assert.Contains("IP address", badResolver.FieldError("Input.Resolver"), StringComparison.Ordinal);
        Assert.Contains("one per line", noValues.FieldError("Input.DnsValues"), StringComparison.Ordinal);
        Assert.Equal("up", tested.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.StartsWith("NOERROR", tested.Text("#test-dns"), StringComparison.Ordinal);
        Assert.Contains($"10 mail.{TestDnsServer.Zone}", tested.Text("#test-answers"), StringComparison.Ordinal);
        await using var scope = app.CreateScope(out var db);
        var check = await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
        Assert.Equal(Watchtower.Probes.Dns.DnsRecordType.MX, KindSettings.Parse(check.SettingsJson).Dns!.RecordType);
    }

    [Fact]
    public async Task An_seo_check_keeps_the_owners_severities_and_test_now_lists_the_findings()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        await using var web = await TestWebServer.StartAsync(routes: site =>
            Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(site, "/page",
                () => Microsoft.AspNetCore.Http.Results.Content("<html><head><title>Hi</title></head><body></body></html>", "text/html")));
        var form = Form(ProbeKind.Seo, "Home page SEO", ("Url", web.HttpBase + "/page"));
        form["Input.SeoSeverities[title-length]"] = "Down";
        form["Input.SeoSeverities[sitemap]"] = "Ignore";

        var tested = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");
        var id = await owner.CreateCheckAsync(form);

        Assert.Equal("down", tested.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Contains("title-length", tested.Text("#test-seo"), StringComparison.Ordinal);
        Assert.Contains("<title>Hi</title>", tested.Text("#test-seo"), StringComparison.Ordinal);
        await using var scope = app.CreateScope(out var db);
        var check = await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
        var seo = KindSettings.Parse(check.SettingsJson).Seo!;
        Assert.Equal(Watchtower.Probes.Seo.SeoSeverity.Down, seo.SeverityOf("title-length"));
        Assert.Equal(Watchtower.Probes.Seo.SeoSeverity.Ignore, seo.SeverityOf("sitemap"));
        Assert.Equal(Watchtower.Probes.Seo.SeoSeverity.Down, seo.SeverityOf("not-indexable"));
        var edit = await owner.GetAsync($"/Checks/{id}/Edit");
        Assert.Equal("Ignore", edit.Document.QuerySelector("#seo-sitemap option[selected]")?.GetAttribute("value"));
    }

    [Fact]
    public async Task Dns_checks_accept_service_and_policy_names_with_underscores()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        using var dns = new TestDnsServer();
        var form = Form(ProbeKind.Dns, "IMAPS service record", ("Host", $"_imaps._tcp.{TestDnsServer.Zone}"), ("RecordType", "SRV"),
            ("Resolver", dns.Endpoint), ("DnsExpectation", "Equals"), ("DnsValues", $"0 5 993 mail.{TestDnsServer.Zone}"));

        var tested = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");
        var id = await owner.CreateCheckAsync(form);
        var junk = await owner.PostFormAsync("/Checks/Create", Form(ProbeKind.Dns, "Bad", ("Host", "_bad!name.example.com"), ("RecordType", "TXT")));

        Assert.Equal("up", tested.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Contains($"0 5 993 mail.{TestDnsServer.Zone}", tested.Text("#test-answers"), StringComparison.Ordinal);
        await using (var scope = app.CreateScope(out var db))
        {
            Assert.Equal($"_imaps._tcp.{TestDnsServer.Zone}", (await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken)).Host);
        }

        Assert.Contains("underscore", junk.FieldError("Input.Host"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_dns_ssl_and_seo_checks_run_on_the_engine_and_show_on_the_public_page()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        await using var web = await TestWebServer.StartAsync();
        using var dns = new TestDnsServer();
        using var certificates = new TestCertificates();
        await using var tls = new TlsTestServer(certificates.Leaf(), certificates.Intermediate);
        var http = await owner.CreateCheckAsync(Form(ProbeKind.Http, "Shop", ("Url", web.HttpBase + "/redirect/1"), ("MustContain", "all is well")));
        var mx = await owner.CreateCheckAsync(Form(ProbeKind.Dns, "Mail routing", ("Host", TestDnsServer.Zone), ("RecordType", "MX"), ("Resolver", dns.Endpoint)));
        var cert = await owner.CreateCheckAsync(Form(ProbeKind.Ssl, "Certificate", ("Host", "127.0.0.1"),
            ("Port", tls.Port.ToString(CultureInfo.InvariantCulture)), ("ServerName", "localhost"), ("FailureThreshold", "1")));
        var seo = await owner.CreateCheckAsync(Form(ProbeKind.Seo, "Home page SEO", ("Url", web.HttpBase + "/ok")));
        var slug = OwnerSteps.UniqueSlug();
        var page = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(page, "Acme", slug, http, mx, cert, seo);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Watchtower.Monitoring.Engine.ProbeBatchJob>()
                .RunAsync([http, mx, cert, seo], TestContext.Current.CancellationToken);
        }

        var status = await new OwnerClient(app).GetAsync($"/status/{slug}");
        var rows = status.Document.QuerySelectorAll("#services .service")
            .ToDictionary(row => row.QuerySelector(".name")?.TextContent.Trim() ?? "", row => row.GetAttribute("data-state"));
        Assert.Equal("up", rows["Shop"]);
        Assert.Equal("up", rows["Mail routing"]);
        // The app does not trust the test's CA: the certificate check is down, and says why in public words.
        Assert.Equal("down", rows["Certificate"]);
        Assert.Contains("certificate", status.Text("#services"), StringComparison.OrdinalIgnoreCase);
        // A plain-text page has no title or description: SEO findings degrade it by default.
        Assert.Equal("degraded", rows["Home page SEO"]);
        Assert.Contains("Partial outage", status.Text("#overall"), StringComparison.Ordinal); // one of four down

        var httpPage = await owner.GetAsync($"/Checks/{http}");
        Assert.StartsWith("200 from", httpPage.Text("#latest-http"), StringComparison.Ordinal);
        Assert.Contains("302", httpPage.Text("#latest-redirects"), StringComparison.Ordinal);
        Assert.Contains("connect", httpPage.Text("#latest-timings"), StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:", httpPage.Text("#latest-endpoint"), StringComparison.Ordinal);
        var certPage = await owner.GetAsync($"/Checks/{cert}");
        Assert.Contains("CN=localhost → CN=Watchtower Test Intermediate", certPage.Text("#latest-certificate"), StringComparison.Ordinal);
        Assert.Contains("not valid", certPage.Text("#latest-certificate"), StringComparison.Ordinal);
        var mxPage = await owner.GetAsync($"/Checks/{mx}");
        Assert.Contains($"10 mail.{TestDnsServer.Zone}", mxPage.Text("#latest-answers"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssl_check_test_now_reports_the_certificate_chain()
    {
        using var owner = await new OwnerClient(await fixture.UseAsync()).RegisterAsync();
        using var certificates = new TestCertificates();
        await using var tls = new TlsTestServer(certificates.Leaf(), certificates.Intermediate);

        var response = await owner.PostFormAsync("/Checks/Create?handler=Test",
            Form(ProbeKind.Ssl, "Cert", ("Host", "127.0.0.1"), ("Port", tls.Port.ToString(CultureInfo.InvariantCulture)), ("ServerName", "localhost")),
            formPage: "/Checks/Create");

        // The app does not trust the test's CA, so the certificate is reported — and judged untrusted.
        Assert.Equal("down", response.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Contains("untrusted", response.Text("#test-message"), StringComparison.Ordinal);
        Assert.Contains("CN=localhost → CN=Watchtower Test Intermediate", response.Text("#test-certificate"), StringComparison.Ordinal);
        Assert.Contains("ECDSA P-256", response.Text("#test-certificate"), StringComparison.Ordinal);
        Assert.Matches("\\((89|90) days left\\)", response.Text("#test-certificate"));
    }
}

public sealed class TrustedRootTests
{
    /// <summary>The app with the test CA added as an operator-trusted root (as for a private PKI).</summary>
    internal static async Task<WatchtowerApp> AppTrustingAsync(TestCertificates certificates)
    {
        var rootFile = Path.Combine(certificates.Folder, "root.pem");
        await File.WriteAllTextAsync(rootFile, certificates.Authority.ExportCertificatePem(), TestContext.Current.CancellationToken);
        return await WatchtowerApp.CreateAsync(new AppOptions
        {
            Settings = new Dictionary<string, string?> { ["Watchtower:Probes:Tls:TrustedRootFiles:0"] = rootFile },
        }, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Roots_the_operator_adds_make_a_private_pki_certificate_valid()
    {
        using var certificates = new TestCertificates();
        await using var app = await AppTrustingAsync(certificates);
        using var owner = await new OwnerClient(app).RegisterAsync();
        await using var tls = new TlsTestServer(certificates.Leaf(), certificates.Intermediate);

        var response = await owner.PostFormAsync("/Checks/Create?handler=Test", new()
        {
            ["Input.Kind"] = "Ssl", ["Input.Name"] = "Cert", ["Input.Host"] = "127.0.0.1", ["Input.ServerName"] = "localhost",
            ["Input.Port"] = tls.Port.ToString(CultureInfo.InvariantCulture), ["Input.IntervalSeconds"] = "60", ["Input.TimeoutSeconds"] = "10",
        }, formPage: "/Checks/Create");

        Assert.Equal("up", response.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Contains("valid for this host", response.Text("#test-certificate"), StringComparison.Ordinal);
    }
}

public sealed class TcpCertificateNameTests
{
    [Fact]
    public async Task A_tls_service_on_an_ip_literal_is_judged_by_the_certificate_name_the_owner_gives()
    {
        using var certificates = new TestCertificates();
        await using var app = await TrustedRootTests.AppTrustingAsync(certificates);
        using var owner = await new OwnerClient(app).RegisterAsync();
        await using var imaps = new TlsTestServer("* OK IMAP ready\r\n", certificates.Leaf(), certificates.Intermediate);
        var form = OwnerSteps.CheckForm("Mail (IMAPS)", "127.0.0.1", imaps.Port.ToString(CultureInfo.InvariantCulture));
        form["Input.Service"] = "Imaps";

        var withoutName = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");
        form["Input.ServerName"] = "localhost";
        var withName = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");
        var id = await owner.CreateCheckAsync(form);

        // The certificate is for localhost: dialled as 127.0.0.1 it does not match, so the check is degraded.
        Assert.Equal("degraded", withoutName.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Contains("not valid", withoutName.Text("#test-certificate"), StringComparison.Ordinal);
        Assert.Equal("up", withName.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Contains("valid for this host", withName.Text("#test-certificate"), StringComparison.Ordinal);
        Assert.Equal("* OK IMAP ready", withName.Text("#test-banner"));
        var edit = await owner.GetAsync($"/Checks/{id}/Edit");
        Assert.Equal("localhost", edit.Document.QuerySelector("#Input_ServerName")?.GetAttribute("value"));
    }
}

public sealed class CheckKindTests_Sqlite(SqliteAppFixture fixture) : CheckKindTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class CheckKindTests_Postgres(PostgresAppFixture fixture) : CheckKindTests(fixture), IClassFixture<PostgresAppFixture>;
