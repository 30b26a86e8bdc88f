using Watchtower.Data.Entities;
using Watchtower.Monitoring.Evaluation;
using Watchtower.Probes;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tls;

namespace Watchtower.Monitoring.Tests.Evaluation;

public sealed class CheckEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static Check NewCheck(TcpService service = TcpService.Smtp, int? latencyThresholdMs = null, int warningDays = 14) => new()
    {
        OwnerId = "u", Name = "mail", Host = "mail.internal.example", Port = 25, Service = service,
        LatencyThresholdMs = latencyThresholdMs, CertificateWarningDays = warningDays,
    };

    private static ProbeResult Ok(int firstByteMs = 20, CertificateFacts? certificate = null) => new()
    {
        Success = true,
        Message = "SMTP server greeted and answered EHLO.",
        Timings = new ProbeTimings { Connect = TimeSpan.FromMilliseconds(3), FirstByte = TimeSpan.FromMilliseconds(firstByteMs) },
        Certificate = certificate,
    };

    private static CertificateFacts Certificate(int daysLeft, bool valid = true, string problem = "") => new()
    {
        Subject = "CN=mail.internal.example", Issuer = "CN=CA", NotBefore = Now.AddDays(-30), NotAfter = Now.AddDays(daysLeft).AddHours(1),
        Valid = valid, Problem = problem,
    };

    [Fact]
    public void A_healthy_result_is_up() =>
        Assert.Equal(CheckState.Up, CheckEvaluator.Evaluate(NewCheck(), Ok(), Now).Status);

    [Fact]
    public void A_slow_answer_beyond_the_threshold_is_degraded()
    {
        var verdict = CheckEvaluator.Evaluate(NewCheck(latencyThresholdMs: 100), Ok(firstByteMs: 250), Now);

        Assert.Equal(CheckState.Degraded, verdict.Status);
        Assert.Contains("answered in 250 ms (threshold 100 ms)", verdict.Message, StringComparison.Ordinal);
        Assert.Equal("Up, but slow (250 ms)", verdict.PublicMessage);
    }

    [Fact]
    public void A_certificate_expiring_within_the_warning_days_is_degraded()
    {
        var verdict = CheckEvaluator.Evaluate(NewCheck(warningDays: 14), Ok(certificate: Certificate(daysLeft: 5)), Now);

        Assert.Equal(CheckState.Degraded, verdict.Status);
        Assert.Contains("expires in 5 days", verdict.Message, StringComparison.Ordinal);
        Assert.Equal(CheckState.Up, CheckEvaluator.Evaluate(NewCheck(warningDays: 3), Ok(certificate: Certificate(daysLeft: 5)), Now).Status);
    }

    [Fact]
    public void An_invalid_certificate_is_degraded_with_its_problem()
    {
        var verdict = CheckEvaluator.Evaluate(NewCheck(), Ok(certificate: Certificate(60, valid: false, problem: "it is self-signed")), Now);

        Assert.Equal(CheckState.Degraded, verdict.Status);
        Assert.Contains("it is self-signed", verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FailureReason.Refused, "Connection refused on port 25")]
    [InlineData(FailureReason.Silent, "SMTP server did not answer in time")]
    [InlineData(FailureReason.UnexpectedResponse, "SMTP server gave an unexpected answer")]
    [InlineData(FailureReason.Dns, "The host name could not be resolved")]
    [InlineData(FailureReason.Timeout, "No answer on port 25 in time")]
    [InlineData(FailureReason.Tls, "The TLS handshake failed")]
    public void Failures_are_down_and_their_public_sentence_names_no_host(FailureReason reason, string sentence)
    {
        var result = ProbeResult.Failed(reason, "No such host: mail.internal.example (220 mail.internal.example ESMTP)");

        var verdict = CheckEvaluator.Evaluate(NewCheck(), result, Now);

        Assert.Equal(CheckState.Down, verdict.Status);
        Assert.Equal(sentence, verdict.PublicMessage);
        Assert.DoesNotContain("internal", verdict.PublicMessage, StringComparison.Ordinal);
        Assert.Contains("mail.internal.example", verdict.Message, StringComparison.Ordinal);
    }
}

public sealed class KindEvaluationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Seo_findings_count_as_much_as_the_owner_set()
    {
        var check = new Check
        {
            OwnerId = "u", Name = "seo", Host = "example.com", Kind = ProbeKind.Seo,
            SettingsJson = new KindSettings { Seo = new SeoSettings { Severities = new() { ["h1-count"] = Watchtower.Probes.Seo.SeoSeverity.Ignore } } }.ToJson(),
        };
        ProbeResult With(params string[] rules) => new()
        {
            Success = true, Message = "findings", Seo = [.. rules.Select(r => new Watchtower.Probes.Seo.SeoFinding(r, $"{r} found", "evidence"))],
        };

        Assert.Equal(CheckState.Up, CheckEvaluator.Evaluate(check, With(), Now).Status);
        Assert.Equal(CheckState.Up, CheckEvaluator.Evaluate(check, With("h1-count"), Now).Status);
        Assert.Equal(CheckState.Degraded, CheckEvaluator.Evaluate(check, With("h1-count", "title-length"), Now).Status);
        var down = CheckEvaluator.Evaluate(check, With("title-length", "not-indexable"), Now);
        Assert.Equal(CheckState.Down, down.Status);
        Assert.Equal("not-indexable found [not-indexable]", down.Message);
    }

    [Fact]
    public void An_http_check_without_tls_verification_calls_an_expired_certificate_expired()
    {
        var check = new Check
        {
            OwnerId = "u", Name = "web", Host = "example.com", Port = 443, Kind = ProbeKind.Http, CertificateWarningDays = 14,
            SettingsJson = new KindSettings { Http = new HttpSettings { Url = "https://example.com/", VerifyTls = false } }.ToJson(),
        };
        ProbeResult With(DateTimeOffset notAfter, bool valid, string problem) => new()
        {
            Success = true, Message = "https://example.com/ answered 200 OK (42 bytes).",
            Certificate = new CertificateFacts { Subject = "CN=example.com", Issuer = "CN=CA", NotAfter = notAfter, Valid = valid, Problem = problem },
        };

        var threeDays = CheckEvaluator.Evaluate(check, With(Now.AddDays(-3).AddHours(-1), false, "it expired on 2026-11-21"), Now);
        var hoursAgo = CheckEvaluator.Evaluate(check, With(Now.AddHours(-2), false, "it expired on 2026-11-24"), Now);
        var untrustedButCurrent = CheckEvaluator.Evaluate(check, With(Now.AddDays(60), false, "it is self-signed"), Now);

        Assert.Equal(CheckState.Degraded, threeDays.Status);
        Assert.Equal("https://example.com/ answered 200 OK (42 bytes). The TLS certificate expired 3 days ago (2026-11-21).", threeDays.Message);
        Assert.Equal("Up, but its TLS certificate has expired", threeDays.PublicMessage);
        Assert.DoesNotContain("expires in", threeDays.Message, StringComparison.Ordinal);
        Assert.Contains("expired less than a day ago (2026-11-24)", hoursAgo.Message, StringComparison.Ordinal);
        Assert.Equal(CheckState.Up, untrustedButCurrent.Status); // verification off: only expiry is judged
    }

    [Fact]
    public void An_ssl_check_whose_certificate_expired_since_the_probe_says_expired()
    {
        var check = new Check { OwnerId = "u", Name = "cert", Host = "example.com", Port = 443, Kind = ProbeKind.Ssl };
        var result = new ProbeResult
        {
            Success = true, Message = "cert",
            Certificate = new CertificateFacts { Subject = "CN=example.com", Issuer = "CN=CA", NotAfter = Now.AddMinutes(-5), Valid = true },
        };

        var verdict = CheckEvaluator.Evaluate(check, result, Now);

        Assert.Equal(CheckState.Down, verdict.Status);
        Assert.Equal("The TLS certificate expired less than a day ago (2026-11-24).", verdict.Message);
        Assert.Equal("The TLS certificate has expired", verdict.PublicMessage);
    }

    [Fact]
    public void An_ssl_check_is_down_for_an_invalid_or_critically_close_certificate_and_degraded_within_the_warning()
    {
        var check = new Check
        {
            OwnerId = "u", Name = "cert", Host = "example.com", Port = 443, Kind = ProbeKind.Ssl, CertificateWarningDays = 30,
            SettingsJson = new KindSettings { Ssl = new SslSettings { CriticalDays = 7 } }.ToJson(),
        };
        ProbeResult With(int days, bool valid = true) => new()
        {
            Success = true, Message = "cert",
            Certificate = new CertificateFacts { Subject = "CN=example.com", Issuer = "CN=CA", NotAfter = Now.AddDays(days).AddHours(1), Valid = valid, Problem = valid ? "" : "it is self-signed" },
        };

        Assert.Equal(CheckState.Up, CheckEvaluator.Evaluate(check, With(60), Now).Status);
        Assert.Equal(CheckState.Degraded, CheckEvaluator.Evaluate(check, With(20), Now).Status);
        Assert.Equal(CheckState.Down, CheckEvaluator.Evaluate(check, With(5), Now).Status);
        Assert.Equal(CheckState.Down, CheckEvaluator.Evaluate(check, With(60, valid: false), Now).Status);
    }
}
