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
    private static readonly HashSet<string> Common =
        ["FailureThreshold", "RecoveryThreshold", "RetryIntervalSeconds", "LatencyThresholdMs", "ShowTargetOnStatusPage", "IntervalSeconds", "TimeoutSeconds"];

    private static Dictionary<string, string> Form(ProbeKind kind, string name, params (string Field, string Value)[] fields)
    {
        var form = new Dictionary<string, string>
        {
            ["Input.Kind"] = kind.ToString(), ["Input.Name"] = name, ["Input.IntervalSeconds"] = "60", ["Input.TimeoutSeconds"] = "10",
        };
        foreach (var (field, value) in fields)
        {
            form[Common.Contains(field) ? $"Input.{field}" : $"Input.{kind}.{field}"] = value;
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
        Assert.NotNull(http.Document.QuerySelector("#Input_Http_Url"));
        Assert.NotNull(dns.Document.QuerySelector("#Input_Dns_RecordType"));
        Assert.Equal("443", ssl.Document.QuerySelector("#Input_Ssl_Port")?.GetAttribute("value"));
        Assert.Equal(5, http.Document.QuerySelectorAll("nav.kinds button").Length);
        Assert.Equal("Website", http.Document.QuerySelector("#Input_Name")?.GetAttribute("placeholder"));
    }

    [Fact]
    public async Task An_http_check_is_stored_from_its_url()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();

        var id = await owner.CreateCheckAsync(Form(ProbeKind.Http, "Shop", ("Url", "shop.example.com/health"), ("Method", "GET"),
            ("ExpectedStatus", "200,204"), ("MustContain", "OK"), ("Headers", "X-Probe: watchtower\r\nAccept:  text/plain ")));

        await using var scope = app.CreateScope(out var db);
        var check = await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
        Assert.Equal(ProbeKind.Http, check.Kind);
        Assert.Null(check.Tcp);
        var http = check.Http!;
        Assert.Equal(("https://shop.example.com/health", "200,204", "OK"), (http.Url, http.ExpectedStatus, http.MustContain));
        Assert.Equal([new("X-Probe", "watchtower"), new("Accept", "text/plain")], http.Headers);
        var edit = await owner.GetAsync($"/Checks/{id}/Edit");
        Assert.Equal("X-Probe: watchtower\nAccept: text/plain", edit.Document.QuerySelector("#Input_Http_Headers")?.TextContent);
        Assert.Contains("https://shop.example.com/health", (await owner.GetAsync("/Dashboard")).Text("#checks-table"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Url", "ftp://files.example.com/", "Input.Http.Url", "http:// or https://")]
    [InlineData("Url", "http://user:secret@example.com/", "Input.Http.Url", "user name or password")]
    [InlineData("Url", "", "Input.Http.Url", "Enter the URL")]
    [InlineData("Url", "http://exa mple.com/", "Input.Http.Url", "")]
    [InlineData("ExpectedStatus", "2xx", "Input.Http.ExpectedStatus", "not a status code")]
    [InlineData("Headers", "no colon here", "Input.Http.Headers", "not a header")]
    [InlineData("Method", "DELETE", "Input.Http.Method", "GET, HEAD or POST")]
    [InlineData("Headers", "Host: evil.example.com", "Input.Http.Headers", "sets “Host” itself")]
    [InlineData("Headers", "X-Ok: 1\nContent-Length: 5", "Input.Http.Headers", "sets “Content-Length” itself")]
    [InlineData("ContentType", "json", "Input.Http.ContentType", "not a media type")]
    [InlineData("MustContain", "(unclosed", "Input.Http.MustContain", "not a valid regular expression")]
    public async Task Bad_http_input_gets_a_message_next_to_the_field(string field, string value, string errorField, string message)
    {
        using var owner = await new OwnerClient(await fixture.UseAsync()).RegisterAsync();
        var form = Form(ProbeKind.Http, "Shop", ("Url", "https://shop.example.com/"), ("KeywordsAreRegex", "true"));
        form[$"Input.Http.{field}"] = value;

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

        var badResolver = await owner.PostFormAsync("/Checks/Create", Form(ProbeKind.Dns, "MX", ("Name", TestDnsServer.Zone), ("RecordType", "MX"), ("Resolver", "dns.example.com")));
        var noValues = await owner.PostFormAsync("/Checks/Create", Form(ProbeKind.Dns, "MX", ("Name", TestDnsServer.Zone), ("RecordType", "MX"), ("Expectation", "Contains")));
        var tested = await owner.PostFormAsync("/Checks/Create?handler=Test",
            Form(ProbeKind.Dns, "MX", ("Name", TestDnsServer.Zone), ("RecordType", "MX"), ("Resolver", dns.Endpoint),
                ("Expectation", "Contains"), ("Values", $"10 mail.{TestDnsServer.Zone}")), formPage: "/Checks/Create");
        var id = await owner.CreateCheckAsync(Form(ProbeKind.Dns, "MX", ("Name", TestDnsServer.Zone), ("RecordType", "MX"), ("Resolver", dns.Endpoint)));

        Assert.Contains("IP address", badResolver.FieldError("Input.Dns.Resolver"), StringComparison.Ordinal);
        Assert.Contains("one per line", noValues.FieldError("Input.Dns.Values"), StringComparison.Ordinal);
        Assert.Equal("up", tested.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.StartsWith("NOERROR", tested.Text("#test-dns"), StringComparison.Ordinal);
        Assert.Contains($"10 mail.{TestDnsServer.Zone}", tested.Text("#test-answers"), StringComparison.Ordinal);
        await using var scope = app.CreateScope(out var db);
        var check = await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
        Assert.Equal(Watchtower.Probes.Dns.DnsRecordType.MX, check.Dns!.RecordType);
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
        form["Input.Seo.Rules[0].Rule"] = "title-length";
        form["Input.Seo.Rules[0].Severity"] = "Down";
        form["Input.Seo.Rules[1].Rule"] = "sitemap";
        form["Input.Seo.Rules[1].Severity"] = "Ignore";
        form["Input.Seo.Rules[2].Rule"] = "not-indexable";
        form["Input.Seo.Rules[2].Severity"] = "Degraded";

        var tested = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");
        var id = await owner.CreateCheckAsync(form);

        Assert.Equal("down", tested.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Contains("title-length", tested.Text("#test-seo"), StringComparison.Ordinal);
        Assert.Contains("<title>Hi</title>", tested.Text("#test-seo"), StringComparison.Ordinal);
        await using var scope = app.CreateScope(out var db);
        var check = await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken);
        var seo = check.Seo!;
        Assert.Equal(Watchtower.Probes.Evaluation.SeoSeverity.Down, seo.SeverityOf("title-length"));
        Assert.Equal(Watchtower.Probes.Evaluation.SeoSeverity.Ignore, seo.SeverityOf("sitemap"));
        Assert.Equal(Watchtower.Probes.Evaluation.SeoSeverity.Degraded, seo.SeverityOf("not-indexable"));
        // Only the owner's departures from the defaults are stored, so a better default later reaches this check too.
        Assert.Equal(["sitemap", "title-length"], seo.Rules.Select(r => r.Rule).Order());
        var edit = await owner.GetAsync($"/Checks/{id}/Edit");
        Assert.Equal("Ignore", edit.Document.QuerySelector("#seo-sitemap option[selected]")?.GetAttribute("value"));
    }

    [Fact]
    public async Task Dns_checks_accept_service_and_policy_names_with_underscores()
    {
        var app = await fixture.UseAsync();
        using var owner = await new OwnerClient(app).RegisterAsync();
        using var dns = new TestDnsServer();
        var form = Form(ProbeKind.Dns, "IMAPS service record", ("Name", $"_imaps._tcp.{TestDnsServer.Zone}"), ("RecordType", "SRV"),
            ("Resolver", dns.Endpoint), ("Expectation", "Equals"), ("Values", $"0 5 993 mail.{TestDnsServer.Zone}"));

        var tested = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");
        var id = await owner.CreateCheckAsync(form);
        var junk = await owner.PostFormAsync("/Checks/Create", Form(ProbeKind.Dns, "Bad", ("Name", "_bad!name.example.com"), ("RecordType", "TXT")));

        Assert.Equal("up", tested.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Contains($"0 5 993 mail.{TestDnsServer.Zone}", tested.Text("#test-answers"), StringComparison.Ordinal);
        await using (var scope = app.CreateScope(out var db))
        {
            Assert.Equal($"_imaps._tcp.{TestDnsServer.Zone}", (await db.Checks.SingleAsync(c => c.Id == id, TestContext.Current.CancellationToken)).Dns!.Name);
        }

        Assert.Contains("underscore", junk.FieldError("Input.Dns.Name"), StringComparison.Ordinal);
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
        var mx = await owner.CreateCheckAsync(Form(ProbeKind.Dns, "Mail routing", ("Name", TestDnsServer.Zone), ("RecordType", "MX"), ("Resolver", dns.Endpoint)));
        var cert = await owner.CreateCheckAsync(Form(ProbeKind.Ssl, "Certificate", ("Host", "127.0.0.1"),
            ("Port", tls.Port.ToString(CultureInfo.InvariantCulture)), ("ServerName", "localhost"), ("FailureThreshold", "1")));
        var seo = await owner.CreateCheckAsync(Form(ProbeKind.Seo, "Home page SEO", ("Url", web.HttpBase + "/ok")));
        var slug = OwnerSteps.UniqueSlug();
        var page = await owner.CreatePageAsync("Acme", slug);
        await owner.SetPageChecksAsync(page, "Acme", slug, http, mx, cert, seo);

        await app.Services.GetRequiredService<Watchtower.Monitoring.Engine.ProbeEngine>()
            .RunNowAsync([http, mx, cert, seo], TestContext.Current.CancellationToken);

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
        Assert.Matches("at this run it expires in (89|90) days", response.Text("#test-certificate"));
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
            ["Input.Kind"] = "Ssl", ["Input.Name"] = "Cert", ["Input.Ssl.Host"] = "127.0.0.1", ["Input.Ssl.ServerName"] = "localhost",
            ["Input.Ssl.Port"] = tls.Port.ToString(CultureInfo.InvariantCulture), ["Input.IntervalSeconds"] = "60", ["Input.TimeoutSeconds"] = "10",
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
        form["Input.Tcp.Service"] = "Imaps";

        var withoutName = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");
        form["Input.Tcp.CertificateName"] = "localhost";
        var withName = await owner.PostFormAsync("/Checks/Create?handler=Test", form, formPage: "/Checks/Create");
        var id = await owner.CreateCheckAsync(form);

        // The certificate is for localhost: dialled as 127.0.0.1 it does not match, so the check is degraded.
        Assert.Equal("degraded", withoutName.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Contains("not valid", withoutName.Text("#test-certificate"), StringComparison.Ordinal);
        Assert.Equal("up", withName.Document.QuerySelector("#test-result")?.GetAttribute("data-state"));
        Assert.Contains("valid for this host", withName.Text("#test-certificate"), StringComparison.Ordinal);
        Assert.Equal("* OK IMAP ready", withName.Text("#test-banner"));
        var edit = await owner.GetAsync($"/Checks/{id}/Edit");
        Assert.Equal("localhost", edit.Document.QuerySelector("#Input_Tcp_CertificateName")?.GetAttribute("value"));
    }
}

public sealed class CheckKindTests_Sqlite(SqliteAppFixture fixture) : CheckKindTests(fixture), IClassFixture<SqliteAppFixture>;

public sealed class CheckKindTests_Postgres(PostgresAppFixture fixture) : CheckKindTests(fixture), IClassFixture<PostgresAppFixture>;
