using Watchtower.Probes.Dns;
using Watchtower.Probes.Evaluation;
using Watchtower.Probes.Http;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Tests.Evaluation;

/// <summary>The evaluator alone: facts in, verdict out, for every kind. The probes' own tests run it against real servers too.</summary>
public sealed class CheckEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static ProbeRequest Smtp(int warningDays = 14, bool startTls = false) =>
        new(new TcpSettings { Host = "mail.internal.example", Port = 25, Service = TcpService.Smtp, StartTls = startTls, CertificateWarningDays = warningDays }, TimeSpan.FromSeconds(10));

    private static ProbeResult Ok(int firstByteMs = 20, CertificateFacts? certificate = null) => new()
    {
        Success = true,
        Message = "SMTP server greeted and answered EHLO.",
        Timings = new ProbeTimings { Connect = TimeSpan.FromMilliseconds(3), Tls = TimeSpan.FromMilliseconds(40), FirstByte = TimeSpan.FromMilliseconds(firstByteMs) },
        Certificate = certificate,
    };

    private static CertificateFacts Certificate(int daysLeft, bool valid = true, string problem = "") => new()
    {
        Subject = "CN=mail.internal.example", Issuer = "CN=CA", NotBefore = Now.AddDays(-30), NotAfter = Now.AddDays(daysLeft).AddHours(1),
        Valid = valid, Problem = problem,
    };

    [Fact]
    public void A_healthy_result_is_up() =>
        Assert.Equal(new Verdict(Health.Up, FailureReason.None, "SMTP server greeted and answered EHLO.", "Operational"), CheckEvaluator.Evaluate(Smtp(), Ok(), Now));

    [Fact]
    public void A_slow_answer_beyond_the_threshold_is_degraded_with_its_own_reason()
    {
        var verdict = CheckEvaluator.Evaluate(Smtp(), Ok(firstByteMs: 250), Now, latencyThresholdMs: 100);

        Assert.Equal((Health.Degraded, FailureReason.Slow), (verdict.Status, verdict.Reason));
        Assert.Contains("answered in 250 ms (threshold 100 ms)", verdict.Message, StringComparison.Ordinal);
        Assert.Equal("Up, but slow (250 ms)", verdict.PublicMessage);
    }

    [Fact]
    public void The_latency_judged_is_the_kinds_own_phase()
    {
        var timings = new ProbeTimings { Dns = TimeSpan.FromMilliseconds(5), Connect = TimeSpan.FromMilliseconds(10), Tls = TimeSpan.FromMilliseconds(300), FirstByte = TimeSpan.FromMilliseconds(30) };
        var result = new ProbeResult { Success = true, Message = "ok", Timings = timings, Certificate = Certificate(90) };
        var ssl = new ProbeRequest(new SslSettings { Host = "example.com" }, TimeSpan.FromSeconds(10));
        var seo = new ProbeRequest(new SeoSettings { Url = "https://example.com/" }, TimeSpan.FromSeconds(10));

        var slowHandshake = CheckEvaluator.Evaluate(ssl, result, Now, latencyThresholdMs: 200);
        var fastPage = CheckEvaluator.Evaluate(seo, result, Now, latencyThresholdMs: 200);
        var slowPage = CheckEvaluator.Evaluate(seo, result, Now, latencyThresholdMs: 20);

        Assert.Equal((Health.Degraded, FailureReason.Slow), (slowHandshake.Status, slowHandshake.Reason));
        Assert.Contains("the TLS handshake took 300 ms", slowHandshake.Message, StringComparison.Ordinal);
        Assert.Equal(Health.Up, fastPage.Status);
        Assert.Contains("the page answered in 30 ms", slowPage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_expiring_within_the_warning_days_degrades_a_tls_conversation()
    {
        var verdict = CheckEvaluator.Evaluate(Smtp(startTls: true), Ok(certificate: Certificate(daysLeft: 5)), Now);

        Assert.Equal((Health.Degraded, FailureReason.CertificateExpiring), (verdict.Status, verdict.Reason));
        Assert.Contains("expires in 5 days", verdict.Message, StringComparison.Ordinal);
        Assert.Equal(Health.Up, CheckEvaluator.Evaluate(Smtp(warningDays: 3, startTls: true), Ok(certificate: Certificate(daysLeft: 5)), Now).Status);
    }

    [Fact]
    public void An_invalid_certificate_degrades_a_tls_conversation_with_reason_tls()
    {
        var verdict = CheckEvaluator.Evaluate(Smtp(startTls: true), Ok(certificate: Certificate(60, valid: false, problem: "its RSA key has 1024 bits")), Now);

        Assert.Equal((Health.Degraded, FailureReason.Tls), (verdict.Status, verdict.Reason));
        Assert.Contains("its RSA key has 1024 bits", verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FailureReason.Refused, "Connection refused")]
    [InlineData(FailureReason.Silent, "SMTP server did not answer in time")]
    [InlineData(FailureReason.UnexpectedResponse, "SMTP server gave an unexpected answer")]
    [InlineData(FailureReason.Dns, "The host name could not be resolved")]
    [InlineData(FailureReason.Timeout, "No answer in time")]
    [InlineData(FailureReason.Tls, "The TLS handshake failed")]
    [InlineData(FailureReason.Blocked, "The service could not be checked")]
    public void Failures_are_down_and_their_public_sentence_names_no_host_port_or_policy(FailureReason reason, string sentence)
    {
        var result = ProbeResult.Failed(reason, "127.0.0.1 is loopback; refused on port 25 (220 mail.internal.example ESMTP)");

        var verdict = CheckEvaluator.Evaluate(Smtp(), result, Now);

        Assert.Equal((Health.Down, reason), (verdict.Status, verdict.Reason));
        Assert.Equal(sentence, verdict.PublicMessage);
        Assert.DoesNotContain("internal", verdict.PublicMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("25", verdict.PublicMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("may not", verdict.PublicMessage, StringComparison.Ordinal);
        Assert.Contains("mail.internal.example", verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(404, "200-399", Health.Down)]
    [InlineData(404, "200,404", Health.Up)]
    [InlineData(503, "500-599", Health.Up)]
    public void Http_statuses_are_judged_against_the_expected_list(int status, string expected, Health health)
    {
        var request = new ProbeRequest(new HttpSettings { Url = "https://example.com/", ExpectedStatus = expected }, TimeSpan.FromSeconds(10));
        var result = new ProbeResult { Success = true, Message = $"https://example.com/ answered {status}.", Http = new HttpFacts { StatusCode = status } };

        var verdict = CheckEvaluator.Evaluate(request, result, Now);

        Assert.Equal(health, verdict.Status);
        Assert.Equal(health == Health.Down ? FailureReason.Status : FailureReason.None, verdict.Reason);
    }

    [Fact]
    public void Http_keywords_found_or_missing_are_judged_from_the_facts()
    {
        var request = new ProbeRequest(new HttpSettings { Url = "https://example.com/", MustContain = "OK", MustNotContain = "error" }, TimeSpan.FromSeconds(10));
        ProbeResult With(bool contains, bool forbidden) => new()
        {
            Success = true, Message = "answered 200",
            Http = new HttpFacts { StatusCode = 200, MustContainFound = contains, MustNotContainFound = forbidden },
        };

        var missing = CheckEvaluator.Evaluate(request, With(false, false), Now);
        var forbiddenFound = CheckEvaluator.Evaluate(request, With(true, true), Now);

        Assert.Equal(Health.Up, CheckEvaluator.Evaluate(request, With(true, false), Now).Status);
        Assert.Equal((Health.Down, FailureReason.Keyword, "The page does not contain “OK”."), (missing.Status, missing.Reason, missing.Message));
        Assert.Equal((Health.Down, FailureReason.Keyword), (forbiddenFound.Status, forbiddenFound.Reason));
        Assert.Equal("The page content check failed", forbiddenFound.PublicMessage);
    }

    [Fact]
    public void Dns_answers_are_compared_with_the_expected_values()
    {
        DnsFacts Answers(params string[] values) => new() { ResponseCode = "NOERROR", Server = "9.9.9.9:53", Answers = [.. values.Select(v => new DnsAnswer(v, 300))] };
        ProbeRequest Expect(DnsExpectation expectation, params string[] values) =>
            new(new DnsSettings { Name = "example.com", RecordType = DnsRecordType.MX, Expectation = expectation, Values = [.. values] }, TimeSpan.FromSeconds(3));
        Verdict Judge(ProbeRequest request, DnsFacts facts) => CheckEvaluator.Evaluate(request, new ProbeResult { Success = true, Message = "answered", Dns = facts }, Now);

        Assert.Equal(Health.Up, Judge(Expect(DnsExpectation.Contains, "10 MX.Example.com."), Answers("10 mx.example.com", "20 backup.example.com")).Status);
        Assert.Equal(Health.Down, Judge(Expect(DnsExpectation.Equals, "10 mx.example.com"), Answers("10 mx.example.com", "20 backup.example.com")).Status);
        var nx = Judge(Expect(DnsExpectation.AnyAnswer), new DnsFacts { ResponseCode = "NXDOMAIN", Server = "9.9.9.9:53" });
        Assert.Equal((Health.Down, FailureReason.Dns, "The DNS lookup failed"), (nx.Status, nx.Reason, nx.PublicMessage));
        var none = Judge(Expect(DnsExpectation.AnyAnswer), Answers());
        Assert.Equal((Health.Down, FailureReason.UnexpectedResponse), (none.Status, none.Reason));
    }

    [Fact]
    public void A_custom_reply_that_does_not_match_is_down_with_the_reply_quoted()
    {
        var request = new ProbeRequest(new TcpSettings { Host = "h", Port = 7, Service = TcpService.Custom, Expect = "PONG" }, TimeSpan.FromSeconds(5));
        ProbeResult With(int bytes, bool matched, string? banner) => new() { Success = true, Message = "replied", Banner = banner, Reply = new ReplyFacts(bytes, matched) };

        var mismatch = CheckEvaluator.Evaluate(request, With(5, false, "HELLO"), Now);
        var closed = CheckEvaluator.Evaluate(request, With(0, false, null), Now);

        Assert.Equal(Health.Up, CheckEvaluator.Evaluate(request, With(6, true, "+PONG"), Now).Status);
        Assert.Equal((Health.Down, FailureReason.UnexpectedResponse, "The reply “HELLO” does not contain “PONG”."), (mismatch.Status, mismatch.Reason, mismatch.Message));
        Assert.Contains("closed the connection without answering", closed.Message, StringComparison.Ordinal);
        Assert.Equal("The service gave an unexpected answer", closed.PublicMessage);
    }

    [Fact]
    public void Seo_findings_count_as_much_as_the_owner_set_and_indexing_problems_only_degrade_by_default()
    {
        var request = new ProbeRequest(new SeoSettings { Url = "https://example.com/", Rules = [new(SeoRules.H1, SeoSeverity.Ignore), new(SeoRules.Canonical, SeoSeverity.Down)] },
            TimeSpan.FromSeconds(10));
        ProbeResult With(params string[] rules) => new()
        {
            Success = true, Message = "findings", Seo = [.. rules.Select(r => new SeoFinding(r, $"{r} found", "evidence"))],
        };

        Assert.Equal(Health.Up, CheckEvaluator.Evaluate(request, With(), Now).Status);
        Assert.Equal(Health.Up, CheckEvaluator.Evaluate(request, With(SeoRules.H1), Now).Status);
        var noindex = CheckEvaluator.Evaluate(request, With(SeoRules.NotIndexable, SeoRules.TitleLength), Now);
        Assert.Equal((Health.Degraded, FailureReason.Seo), (noindex.Status, noindex.Reason));
        Assert.Equal(Health.Down, CheckEvaluator.Evaluate(request, With(SeoRules.StatusNot2xx), Now).Status);
        var down = CheckEvaluator.Evaluate(request, With(SeoRules.TitleLength, SeoRules.Canonical), Now);
        Assert.Equal((Health.Down, "canonical found [canonical]"), (down.Status, down.Message));
    }

    [Fact]
    public void An_http_check_without_tls_verification_calls_an_expired_certificate_expired_counting_whole_days()
    {
        var request = new ProbeRequest(new HttpSettings { Url = "https://example.com/", VerifyTls = false }, TimeSpan.FromSeconds(10));
        ProbeResult With(DateTimeOffset notAfter, bool valid, string problem) => new()
        {
            Success = true, Message = "https://example.com/ answered 200 OK (42 bytes).", Http = new HttpFacts { StatusCode = 200 },
            Certificate = new CertificateFacts { Subject = "CN=example.com", Issuer = "CN=CA", NotAfter = notAfter, Valid = valid, Problem = problem },
        };

        var twoDaysAndMinutes = CheckEvaluator.Evaluate(request, With(Now.AddDays(-2).AddMinutes(-7), false, "it expired"), Now);
        var hoursAgo = CheckEvaluator.Evaluate(request, With(Now.AddHours(-2), false, "it expired on 2026-11-24"), Now);
        var untrustedButCurrent = CheckEvaluator.Evaluate(request, With(Now.AddDays(60), false, "it is self-signed"), Now);

        Assert.Equal((Health.Degraded, FailureReason.Tls), (twoDaysAndMinutes.Status, twoDaysAndMinutes.Reason));
        Assert.Equal("https://example.com/ answered 200 OK (42 bytes). The TLS certificate expired 2 days ago (2026-11-22).", twoDaysAndMinutes.Message);
        Assert.Equal("Up, but its TLS certificate has expired", twoDaysAndMinutes.PublicMessage);
        Assert.Contains("expired less than a day ago (2026-11-24)", hoursAgo.Message, StringComparison.Ordinal);
        Assert.Equal(Health.Up, untrustedButCurrent.Status); // verification off: only expiry is judged
    }

    [Theory]
    [InlineData(-2.005, -2, "expired 2 days ago (2026-11-22)")]
    [InlineData(-0.1, 0, "expired less than a day ago (2026-11-24)")]
    [InlineData(5.9, 5, "expires in 5 days (2026-11-30)")]
    [InlineData(0.5, 0, "expires in less than a day (2026-11-25)")]
    public void Days_left_are_whole_days_both_sides_of_expiry(double days, int daysLeft, string described)
    {
        var certificate = new CertificateFacts { Subject = "CN=x", Issuer = "CN=CA", NotAfter = Now.AddDays(days) };

        Assert.Equal(daysLeft, CertificateExpiry.DaysLeft(certificate, Now));
        Assert.Equal(described, CertificateExpiry.Describe(certificate, Now));
    }

    [Fact]
    public void An_ssl_check_is_down_for_an_invalid_or_critically_close_certificate_and_degraded_within_the_warning()
    {
        var request = new ProbeRequest(new SslSettings { Host = "example.com", WarningDays = 30, CriticalDays = 7 }, TimeSpan.FromSeconds(10));
        Verdict With(int days, bool valid = true) => CheckEvaluator.Evaluate(request, new ProbeResult
        {
            Success = true, Message = "cert",
            Certificate = new CertificateFacts { Subject = "CN=example.com", Issuer = "CN=CA", NotAfter = Now.AddDays(days).AddHours(1), Valid = valid, Problem = valid ? "" : "it is self-signed" },
        }, Now);

        Assert.Equal(Health.Up, With(60).Status);
        Assert.Equal((Health.Degraded, FailureReason.CertificateExpiring), (With(20).Status, With(20).Reason));
        Assert.Equal((Health.Down, FailureReason.CertificateExpiring), (With(5).Status, With(5).Reason));
        Assert.Equal((Health.Down, FailureReason.Tls), (With(60, valid: false).Status, With(60, valid: false).Reason));
    }

    [Fact]
    public void An_ssl_check_whose_certificate_expired_since_the_probe_says_expired()
    {
        var request = new ProbeRequest(new SslSettings { Host = "example.com" }, TimeSpan.FromSeconds(10));
        var result = new ProbeResult
        {
            Success = true, Message = "cert",
            Certificate = new CertificateFacts { Subject = "CN=example.com", Issuer = "CN=CA", NotAfter = Now.AddMinutes(-5), Valid = true },
        };

        var verdict = CheckEvaluator.Evaluate(request, result, Now);

        Assert.Equal((Health.Down, FailureReason.Tls), (verdict.Status, verdict.Reason));
        Assert.Equal("The TLS certificate expired less than a day ago (2026-11-24).", verdict.Message);
        Assert.Equal("The TLS certificate has expired", verdict.PublicMessage);
    }
}
