using System.Globalization;
using Watchtower.Data.Entities;
using Watchtower.Probes;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Tcp;

namespace Watchtower.Monitoring.Evaluation;

/// <summary>
/// Judges a probe's facts against the check's expectations. Measuring (probes) and judging
/// (here) stay apart, so a new expectation never touches a probe.
/// </summary>
public static class CheckEvaluator
{
    public static Verdict Evaluate(Check check, ProbeResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Success)
        {
            return new Verdict(CheckState.Down, result.Message, PublicSentence(check, result));
        }

        if (check.Kind == ProbeKind.Seo)
        {
            return JudgeSeoCheck(check, result);
        }

        if (check.Kind == ProbeKind.Ssl && result.Certificate is { } sslCertificate)
        {
            return JudgeSslCheck(check, result, sslCertificate, now);
        }

        var verifiesTls = check.Kind != ProbeKind.Http || (KindSettings.Parse(check.SettingsJson).Http?.VerifyTls ?? true);
        if (result.Certificate is { } certificate)
        {
            if (!certificate.Valid && verifiesTls)
            {
                return new Verdict(CheckState.Degraded, $"{result.Message} But the TLS certificate is not valid: {certificate.Problem}.",
                    "Up, but its TLS certificate is not valid");
            }

            // Reached with an invalid certificate only when HTTP verification is off: validity is then not
            // judged, but an expired certificate must still be called expired, not "expires in less than a day".
            if (certificate.NotAfter <= now)
            {
                return new Verdict(CheckState.Degraded, $"{result.Message} The TLS certificate {Expiry(certificate, now)}.",
                    "Up, but its TLS certificate has expired");
            }

            var daysLeft = certificate.DaysLeft(now);
            if (daysLeft < check.CertificateWarningDays)
            {
                return new Verdict(CheckState.Degraded, $"{result.Message} The TLS certificate {Expiry(certificate, now)}.",
                    $"Up; its TLS certificate expires in {Days(daysLeft)}");
            }
        }

        var latency = Latency(result);
        if (check.LatencyThresholdMs is { } threshold && latency is { } ms && ms > threshold)
        {
            return new Verdict(CheckState.Degraded, $"{result.Message} Slow: answered in {ms} ms (threshold {threshold} ms).",
                $"Up, but slow ({ms} ms)");
        }

        return new Verdict(CheckState.Up, result.Message, "Operational");
    }

    /// <summary>Each SEO finding counts as much as the owner set for its rule; the worst one decides.</summary>
    private static Verdict JudgeSeoCheck(Check check, ProbeResult result)
    {
        var settings = KindSettings.Parse(check.SettingsJson).Seo ?? new SeoSettings();
        var findings = (result.Seo ?? []).Select(f => (Finding: f, Severity: settings.SeverityOf(f.Rule))).Where(f => f.Severity != SeoSeverity.Ignore).ToList();
        if (findings.Count == 0)
        {
            return new Verdict(CheckState.Up, result.Seo is { Count: > 0 } ? $"{result.Message} (all ignored by this check's rules)" : result.Message, "Operational");
        }

        var worst = findings.Max(f => f.Severity);
        var message = string.Join("; ", findings.Where(f => f.Severity == worst).Select(f => $"{f.Finding.Message} [{f.Finding.Rule}]"));
        return worst == SeoSeverity.Down
            ? new Verdict(CheckState.Down, message, "SEO problems found")
            : new Verdict(CheckState.Degraded, message, "Minor SEO problems found");
    }

    /// <summary>
    /// An SSL certificate check exists to judge the certificate: any problem, or expiry within the
    /// critical threshold, is down; expiry within the warning threshold is degraded.
    /// </summary>
    private static Verdict JudgeSslCheck(Check check, ProbeResult result, Probes.Tls.CertificateFacts certificate, DateTimeOffset now)
    {
        if (!certificate.Valid)
        {
            return new Verdict(CheckState.Down, result.Message, "The TLS certificate is not valid");
        }

        var critical = KindSettings.Parse(check.SettingsJson).Ssl?.CriticalDays ?? 3;
        if (certificate.NotAfter <= now)
        {
            // Valid when probed, expired by now (the probe ran just before midnight of its last day).
            return new Verdict(CheckState.Down, $"The TLS certificate {Expiry(certificate, now)}.", "The TLS certificate has expired");
        }

        var daysLeft = certificate.DaysLeft(now);
        if (daysLeft < critical)
        {
            return new Verdict(CheckState.Down, $"The TLS certificate {Expiry(certificate, now)}, within the critical threshold of {critical} days.",
                $"The TLS certificate expires in {Days(daysLeft)}");
        }

        if (daysLeft < check.CertificateWarningDays)
        {
            return new Verdict(CheckState.Degraded, $"The TLS certificate {Expiry(certificate, now)}.",
                $"The TLS certificate expires in {Days(daysLeft)}");
        }

        return new Verdict(CheckState.Up, result.Message, "Operational");
    }

    /// <summary>The response time a check is judged and shown by: the first byte for a conversation, else the connect.</summary>
    public static int? Latency(ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var span = result.Timings.FirstByte ?? result.Timings.Connect;
        return span is { } value ? (int)Math.Round(value.TotalMilliseconds) : null;
    }

    /// <summary>"expires in 5 days (2026-11-29)" or "expired 3 days ago (2026-11-21)".</summary>
    private static string Expiry(Probes.Tls.CertificateFacts certificate, DateTimeOffset now)
    {
        var when = certificate.NotAfter.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (certificate.NotAfter > now)
        {
            return $"expires in {Days(certificate.DaysLeft(now))} ({when})";
        }

        var ago = (int)Math.Floor((now - certificate.NotAfter).TotalDays);
        return $"expired {(ago <= 0 ? "less than a day" : Days(ago))} ago ({when})";
    }

    private static string Days(int days) => days switch
    {
        <= 0 => "less than a day",
        1 => "1 day",
        _ => $"{days} days",
    };

    private static string PublicSentence(Check check, ProbeResult result)
    {
        var service = check.Kind != ProbeKind.Tcp || check.Service is TcpService.PortOpen or TcpService.Custom
            ? "The service" : $"{TcpServices.ShortName(check.Service)} server";
        return result.Reason switch
        {
            FailureReason.Refused => $"Connection refused on port {check.Port}",
            FailureReason.Timeout => $"No answer on port {check.Port} in time",
            FailureReason.Silent => $"{service} did not answer in time",
            FailureReason.UnexpectedResponse when check.Kind == ProbeKind.Dns => "The DNS answer is not the expected one",
            FailureReason.UnexpectedResponse => $"{service} gave an unexpected answer",
            FailureReason.Tls => "The TLS handshake failed",
            FailureReason.Dns when check.Kind == ProbeKind.Dns => "The DNS lookup failed",
            FailureReason.Dns => "The host name could not be resolved",
            FailureReason.Blocked => "This address may not be checked from here",
            FailureReason.Reset => "The connection was reset",
            FailureReason.Unreachable => "The host is unreachable",
            FailureReason.Status => "Unexpected HTTP status",
            FailureReason.Keyword => "The page content check failed",
            FailureReason.Seo => "SEO problems found",
            _ => "The check failed",
        };
    }
}
