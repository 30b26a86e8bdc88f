using Microsoft.EntityFrameworkCore;
using Watchtower.Data.Entities;
using Watchtower.Probes;
using Watchtower.Probes.Dns;
using Watchtower.Probes.Evaluation;
using Watchtower.Probes.Http;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;
using Watchtower.Testing;

namespace Watchtower.Monitoring.Tests.Data;

/// <summary>
/// Checks saved by the first version (settings in columns and a hand-written JSON string) come out of
/// the KindSettings migration as their kind's settings record, with nothing lost.
/// </summary>
public abstract class KindSettingsMigrationTests
{
    protected abstract TestStore Store { get; }

    /// <summary>A string as an SQL literal (both stores keep backslashes as they are), braces doubled for the raw-SQL formatter.</summary>
    private static string Sql(string? value) => value is null ? "NULL"
        : "'" + value.Replace("'", "''", StringComparison.Ordinal).Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal) + "'";

    [Fact]
    public async Task Every_kinds_settings_move_into_its_record_without_loss()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await UpgradeDatabase.CreateAsync(Store, ct);
        await database.MigrateToAsync("_Initial", ct);
        var now = database.Timestamp(DateTimeOffset.UtcNow);
        var yes = Store == TestStore.Postgres ? "TRUE" : "1";
        var no = Store == TestStore.Postgres ? "FALSE" : "0";
        await database.ExecuteAsync($$"""
            INSERT INTO "AspNetUsers" ("Id", "CreatedAt", "UserName", "Email", "EmailConfirmed", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
            VALUES ('owner-1', {0}, 'owner@example.com', 'owner@example.com', {{yes}}, {{no}}, {{no}}, {{yes}}, 0)
            """, ct, now);
        async Task AddAsync(int id, string kind, string host, int port, string service, bool startTls, string? send, string? expect, string mode,
            int readTimeout, int warningDays, string? settingsJson)
        {
            await database.ExecuteAsync($$"""
                INSERT INTO checks ("Id", "OwnerId", "Name", "Kind", "Host", "Port", "IntervalSeconds", "TimeoutSeconds", "Service", "StartTls",
                    "Send", "SendFormat", "Expect", "ExpectMode", "ReadTimeoutSeconds", "LatencyThresholdMs", "CertificateWarningDays",
                    "RetryIntervalSeconds", "SettingsJson", "LastPublicMessage", "Enabled", "ShowTargetOnStatusPage", "Location",
                    "FailureThreshold", "RecoveryThreshold", "CreatedAt", "NextRunAt", "State", "LastReason", "ConsecutiveFailures", "ConsecutiveSuccesses")
                VALUES ({{id}}, 'owner-1', 'check {{id}}', '{{kind}}', {{Sql(host)}}, {{port}}, 60, 10, '{{service}}', {{(startTls ? yes : no)}},
                    {{Sql(send)}}, 'Text', {{Sql(expect)}}, '{{mode}}', {{readTimeout}}, 800, {{warningDays}},
                    20, {{Sql(settingsJson)}}, 'Operational', {{yes}}, {{yes}}, 'default',
                    2, 1, {0}, {0}, 'Up', 'None', 0, 3)
                """, ct, now);
        }

        await AddAsync(1, "Tcp", "127.0.0.1", 7000, "Custom", false, "PING\\r\\n", "PONG", "Regex", 3, 14, null);
        await AddAsync(2, "Tcp", "mail.example.com", 587, "Smtp", true, null, null, "Contains", 5, 21,
            """{"ssl":{"serverName":"mx.example.com","startTls":"None","criticalDays":3}}""");
        await AddAsync(3, "Http", "shop.example.com", 443, "PortOpen", false, null, null, "Contains", 5, 10,
            """{"http":{"url":"https://shop.example.com/health","method":"POST","body":"{}","contentType":"application/json","headers":"X-Api-Key: abc:def\r\n\r\nbroken line\nAccept:  text/plain ","expectedStatus":"200,204","mustContain":"OK","mustNotContain":"error","keywordsAreRegex":true,"followRedirects":false,"maxRedirects":3,"verifyTls":false}}""");
        await AddAsync(4, "Dns", "example.com", 53, "PortOpen", false, null, null, "Contains", 5, 14,
            """{"dns":{"recordType":"MX","resolver":"9.9.9.9","expectation":"Contains","values":"10 mx.example.com\n\n 20 backup.example.com \n"}}""");
        await AddAsync(5, "Ssl", "example.com", 993, "PortOpen", false, null, null, "Contains", 4, 30,
            """{"ssl":{"serverName":"imap.example.com","startTls":"Imap","criticalDays":5}}""");
        await AddAsync(6, "Seo", "www.example.com", 443, "PortOpen", false, null, null, "Contains", 5, 14,
            """{"http":{"url":"https://www.example.com/"},"seo":{"severities":{"status-not-2xx":"Down","not-indexable":"Down","title-length":"Ignore","h1-count":"Down","sitemap":"Degraded"}}}""");
        await AddAsync(7, "Http", "bare.example.com", 80, "PortOpen", false, null, null, "Contains", 5, 14, """{"http":{"url":"http://bare.example.com/"}}""");
        await database.ExecuteAsync("""
            INSERT INTO check_results ("CheckId", "CheckedAt", "Status", "Reason", "Message", "DurationMs") VALUES (1, {0}, 'Up', 'None', 'kept', 3)
            """, ct, now);

        await database.MigrateToAsync(null, ct);

        await using var db = database.NewContext();
        var checks = await db.Checks.AsNoTracking().OrderBy(c => c.Id).ToDictionaryAsync(c => c.Id, ct);
        Assert.Equal(7, checks.Count);
        Assert.All(checks.Values, c => Assert.Equal((CheckState.Up, 800, (int?)20, 3, true, "Operational"),
            (c.State, c.LatencyThresholdMs ?? 0, c.RetryIntervalSeconds, c.ConsecutiveSuccesses, c.ShowTargetOnStatusPage, c.LastPublicMessage)));

        Assert.Equal(new TcpSettings
        {
            Host = "127.0.0.1", Port = 7000, Service = TcpService.Custom, Send = "PING\\r\\n", Expect = "PONG", ExpectMode = ExpectMode.Regex,
            ReadTimeoutSeconds = 3, CertificateWarningDays = 14,
        }, checks[1].Tcp);
        Assert.Equal(new TcpSettings
        {
            Host = "mail.example.com", Port = 587, Service = TcpService.Smtp, StartTls = true, CertificateName = "mx.example.com",
            ReadTimeoutSeconds = 5, CertificateWarningDays = 21,
        }, checks[2].Tcp);
        Assert.Equal((ProbeKind.Tcp, (object?)null, (object?)null), (checks[2].Kind, (object?)checks[2].Http, (object?)checks[2].Ssl));

        var http = checks[3].Http!;
        Assert.Equal(ProbeKind.Http, checks[3].Kind);
        Assert.Equal(("https://shop.example.com/health", "POST", "{}", "application/json", "200,204", "OK", "error", true, false, 3, false, 10),
            (http.Url, http.Method, http.Body, http.ContentType, http.ExpectedStatus, http.MustContain, http.MustNotContain, http.KeywordsAreRegex,
             http.FollowRedirects, http.MaxRedirects, http.VerifyTls, http.CertificateWarningDays));
        Assert.Equal([new HttpHeader("X-Api-Key", "abc:def"), new HttpHeader("Accept", "text/plain")], http.Headers);
        // Keys the first version left out take the record's defaults.
        var bare = checks[7].Http!;
        Assert.Equal(("http://bare.example.com/", "GET", "200-399", true, 5, true, false), (bare.Url, bare.Method, bare.ExpectedStatus, bare.FollowRedirects, bare.MaxRedirects, bare.VerifyTls, bare.KeywordsAreRegex));
        Assert.Empty(bare.Headers);

        var dns = checks[4].Dns!;
        Assert.Equal(("example.com", DnsRecordType.MX, "9.9.9.9", DnsTransport.Udp, DnsExpectation.Contains), (dns.Name, dns.RecordType, dns.Resolver, dns.Transport, dns.Expectation));
        Assert.Equal(["10 mx.example.com", "20 backup.example.com"], dns.Values);

        Assert.Equal(new SslSettings
        {
            Host = "example.com", Port = 993, ServerName = "imap.example.com", StartTls = StartTlsProtocol.Imap, ReadTimeoutSeconds = 4, WarningDays = 30, CriticalDays = 5,
        }, checks[5].Ssl);

        // Rules left at the old form's defaults follow today's defaults (noindex now degrades); the owner's own choices stay.
        var seo = checks[6].Seo!;
        Assert.Equal("https://www.example.com/", seo.Url);
        Assert.Equal([new SeoRuleSetting(SeoRules.H1, SeoSeverity.Down), new SeoRuleSetting(SeoRules.TitleLength, SeoSeverity.Ignore)], seo.Rules);
        Assert.Equal(SeoSeverity.Degraded, seo.SeverityOf(SeoRules.NotIndexable));

        Assert.Equal(CheckState.Up, Assert.Single(await db.CheckResults.Where(r => r.CheckId == 1).ToListAsync(ct)).Status);

        // The upgraded rows work as any other: they change under the concurrency token.
        var tracked = await db.Checks.SingleAsync(c => c.Id == 1, ct);
        tracked.Settings = tracked.Tcp! with { Port = 7001 };
        await db.SaveChangesAsync(ct);
        await using var again = database.NewContext();
        Assert.Equal(7001, (await again.Checks.AsNoTracking().SingleAsync(c => c.Id == 1, ct)).Tcp!.Port);
    }
}

public sealed class KindSettingsMigrationTests_Sqlite : KindSettingsMigrationTests
{
    protected override TestStore Store => TestStore.Sqlite;
}

public sealed class KindSettingsMigrationTests_Postgres : KindSettingsMigrationTests
{
    protected override TestStore Store => TestStore.Postgres;
}
