using System.Net;
using System.Text.RegularExpressions;
using Watchtower.Probes.Dns;
using Watchtower.Probes.Http;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Ssl;
using Watchtower.Probes.Tcp;
using Watchtower.Probes.Tls;

namespace Watchtower.Probes.Evaluation;

/// <summary>
/// Judges a probe's facts against the check's settings, for every kind: up, degraded or down, a
/// reason code, the owner's sentence and the public one. Probes only measure; every expectation
/// (status codes, keywords, DNS answers, custom replies, certificates, SEO rules, latency) is
/// judged here, so a new expectation never touches a probe.
/// </summary>
public static class CheckEvaluator
{
    public const string Operational = "Operational";

    /// <param name="request">The settings the probe ran with.</param>
    /// <param name="result">What it measured.</param>
    /// <param name="now">When the facts are judged (certificate expiry is relative to it).</param>
    /// <param name="latencyThresholdMs">Slower than this is degraded; null for no threshold.</param>
    public static Verdict Evaluate(ProbeRequest request, ProbeResult result, DateTimeOffset now, int? latencyThresholdMs = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var settings = request.Settings;
        if (!result.Success)
        {
            return new Verdict(Health.Down, result.Reason == FailureReason.None ? FailureReason.Error : result.Reason, result.Message, PublicSentence(settings, result.Reason));
        }

        var judged = settings switch
        {
            TcpSettings tcp => JudgeTcp(tcp, result, now),
            HttpSettings http => JudgeHttp(http, result, now),
            DnsSettings dns => JudgeDns(dns, result),
            SslSettings ssl => JudgeSsl(ssl, result, now),
            SeoSettings seo => JudgeSeo(seo, result),
            _ => null,
        };
        if (judged is { Status: not Health.Up })
        {
            return judged;
        }

        if (latencyThresholdMs is { } threshold && Latency(settings.Kind, result) is { } ms && ms > threshold)
        {
            return new Verdict(Health.Degraded, FailureReason.Slow,
                $"{result.Message} Slow: {LatencyPhase(settings.Kind)} {ms} ms (threshold {threshold} ms).", $"Up, but slow ({ms} ms)");
        }

        return judged ?? new Verdict(Health.Up, FailureReason.None, result.Message, Operational);
    }

    /// <summary>
    /// The response time a kind is judged and shown by: the first byte of a conversation (else the
    /// connect) for TCP, the first byte of the response for HTTP and SEO, the query for DNS, the
    /// handshake for SSL.
    /// </summary>
    public static int? Latency(ProbeKind kind, ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var span = kind switch
        {
            ProbeKind.Ssl => result.Timings.Tls,
            ProbeKind.Dns => result.Timings.FirstByte ?? result.Timings.Dns,
            ProbeKind.Http or ProbeKind.Seo => result.Timings.FirstByte,
            _ => result.Timings.FirstByte ?? result.Timings.Connect,
        };
        return span is { } value ? (int)Math.Round(value.TotalMilliseconds) : null;
    }

    private static string LatencyPhase(ProbeKind kind) => kind switch
    {
        ProbeKind.Ssl => "the TLS handshake took",
        ProbeKind.Dns => "the resolver answered in",
        ProbeKind.Seo => "the page answered in",
        _ => "answered in",
    };

    private static Verdict? JudgeTcp(TcpSettings tcp, ProbeResult result, DateTimeOffset now)
    {
        if (tcp.Service == TcpService.Custom && result.Reply is { Matched: false } reply)
        {
            var how = tcp.ExpectMode == ExpectMode.Regex ? "match" : "contain";
            var message = reply.Bytes == 0
                ? $"The service closed the connection without answering; expected a reply that would {how} “{TcpSession.Printable(tcp.Expect ?? "")}”."
                : $"The reply “{result.Banner}” does not {how} “{TcpSession.Printable(tcp.Expect ?? "")}”.";
            return new Verdict(Health.Down, FailureReason.UnexpectedResponse, message, PublicSentence(tcp, FailureReason.UnexpectedResponse));
        }

        if (tcp.Service == TcpService.Custom && result.Reply is { Matched: true } matched)
        {
            var how = tcp.ExpectMode == ExpectMode.Regex ? "matches" : "contains";
            result = result with { Message = $"The reply {how} “{TcpSession.Printable(tcp.Expect ?? "")}” ({matched.Bytes} bytes)." };
        }

        return (tcp.UsesTls && result.Certificate is { } certificate
            ? JudgeCertificateInPassing(result, certificate, tcp.CertificateWarningDays, judgeValidity: true, now)
            : null) ?? (tcp.Service == TcpService.Custom ? new Verdict(Health.Up, FailureReason.None, result.Message, Operational) : null);
    }

    private static Verdict? JudgeHttp(HttpSettings http, ProbeResult result, DateTimeOffset now)
    {
        var facts = result.Http;
        if (facts is not null)
        {
            if (StatusRanges.TryParse(http.ExpectedStatus, out var expected, out _) && !StatusRanges.Matches(expected, facts.StatusCode))
            {
                return new Verdict(Health.Down, FailureReason.Status, $"{result.Message} Expected {http.ExpectedStatus}.",
                    PublicSentence(http, FailureReason.Status));
            }

            var within = facts.BodyTruncated ? " in its first 2 MB (the rest was not read)" : "";
            if (facts.MustContainFound == false)
            {
                return new Verdict(Health.Down, FailureReason.Keyword, $"The page does not contain “{http.MustContain}”{within}.",
                    PublicSentence(http, FailureReason.Keyword));
            }

            if (facts.MustNotContainFound == true)
            {
                return new Verdict(Health.Down, FailureReason.Keyword, $"The page contains “{http.MustNotContain}”, which it must not.",
                    PublicSentence(http, FailureReason.Keyword));
            }
        }

        // With verification on, an invalid certificate already failed the request; with it off the
        // owner chose not to judge validity, but an expired one is still called expired.
        return result.Certificate is { } certificate
            ? JudgeCertificateInPassing(result, certificate, http.CertificateWarningDays, judgeValidity: http.VerifyTls, now)
            : null;
    }

    /// <summary>A certificate met on the way (a TCP conversation over TLS, an HTTPS request): problems degrade the check.</summary>
    private static Verdict? JudgeCertificateInPassing(ProbeResult result, CertificateFacts certificate, int warningDays, bool judgeValidity, DateTimeOffset now)
    {
        if (judgeValidity && !certificate.Valid)
        {
            return new Verdict(Health.Degraded, FailureReason.Tls, $"{result.Message} But the TLS certificate is not valid: {certificate.Problem}.",
                "Up, but its TLS certificate is not valid");
        }

        if (CertificateExpiry.IsExpired(certificate, now))
        {
            return new Verdict(Health.Degraded, FailureReason.Tls, $"{result.Message} The TLS certificate {CertificateExpiry.Describe(certificate, now)}.",
                "Up, but its TLS certificate has expired");
        }

        var daysLeft = CertificateExpiry.DaysLeft(certificate, now);
        return daysLeft < warningDays
            ? new Verdict(Health.Degraded, FailureReason.CertificateExpiring, $"{result.Message} The TLS certificate {CertificateExpiry.Describe(certificate, now)}.",
                $"Up; its TLS certificate expires in {CertificateExpiry.Days(daysLeft)}")
            : null;
    }

    /// <summary>
    /// An SSL certificate check exists to judge the certificate: any problem, or expiry within the
    /// critical threshold, is down; expiry within the warning threshold is degraded.
    /// </summary>
    private static Verdict? JudgeSsl(SslSettings ssl, ProbeResult result, DateTimeOffset now)
    {
        if (result.Certificate is not { } certificate)
        {
            return new Verdict(Health.Down, FailureReason.Tls, "The server completed the TLS handshake without a certificate.",
                PublicSentence(ssl, FailureReason.Tls));
        }

        if (!certificate.Valid)
        {
            return new Verdict(Health.Down, FailureReason.Tls, $"Certificate for {certificate.Subject} is not valid: {certificate.Problem}.",
                "The TLS certificate is not valid");
        }

        if (CertificateExpiry.IsExpired(certificate, now))
        {
            // Valid when probed, expired by now (the probe ran just before its last moment).
            return new Verdict(Health.Down, FailureReason.Tls, $"The TLS certificate {CertificateExpiry.Describe(certificate, now)}.",
                "The TLS certificate has expired");
        }

        var daysLeft = CertificateExpiry.DaysLeft(certificate, now);
        if (daysLeft < ssl.CriticalDays)
        {
            return new Verdict(Health.Down, FailureReason.CertificateExpiring,
                $"The TLS certificate {CertificateExpiry.Describe(certificate, now)}, within the critical threshold of {CertificateExpiry.Days(ssl.CriticalDays)}.",
                $"The TLS certificate expires in {CertificateExpiry.Days(daysLeft)}");
        }

        if (daysLeft < ssl.WarningDays)
        {
            return new Verdict(Health.Degraded, FailureReason.CertificateExpiring, $"The TLS certificate {CertificateExpiry.Describe(certificate, now)}.",
                $"The TLS certificate expires in {CertificateExpiry.Days(daysLeft)}");
        }

        return null;
    }

    private static Verdict? JudgeDns(DnsSettings dns, ProbeResult result)
    {
        if (result.Dns is not { } facts)
        {
            return null;
        }

        var question = $"{dns.RecordType} {dns.Name}";
        if (facts.ResponseCode != "NOERROR")
        {
            return new Verdict(Health.Down, FailureReason.Dns, $"{facts.Server} answered {facts.ResponseCode} for {dns.Name} {dns.RecordType}.", PublicSentence(dns, FailureReason.Dns));
        }

        if (facts.Answers.Count == 0)
        {
            return new Verdict(Health.Down, FailureReason.UnexpectedResponse, $"{question}: no answer records (from {facts.Server}).",
                PublicSentence(dns, FailureReason.UnexpectedResponse));
        }

        var got = facts.Answers.Select(a => DnsValues.Normalize(dns.RecordType, a.Value)).ToHashSet(StringComparer.Ordinal);
        var want = dns.Values.Select(v => DnsValues.Normalize(dns.RecordType, v)).Where(v => v.Length > 0).ToHashSet(StringComparer.Ordinal);
        var why = dns.Expectation switch
        {
            DnsExpectation.Contains when !want.IsSubsetOf(got) => $"the answers {DnsValues.Summarize(facts.Answers)} do not include {string.Join(", ", want.Except(got))}.",
            DnsExpectation.Equals when !want.SetEquals(got) => $"the answers {DnsValues.Summarize(facts.Answers)} are not exactly {string.Join(", ", want)}.",
            _ => null,
        };
        return why is null ? null : new Verdict(Health.Down, FailureReason.UnexpectedResponse, $"{question}: {why}", PublicSentence(dns, FailureReason.UnexpectedResponse));
    }

    /// <summary>Each SEO finding counts as much as the owner set for its rule; the worst one decides.</summary>
    private static Verdict? JudgeSeo(SeoSettings seo, ProbeResult result)
    {
        var findings = (result.Seo ?? []).Select(f => (Finding: f, Severity: seo.SeverityOf(f.Rule))).Where(f => f.Severity != SeoSeverity.Ignore).ToList();
        if (findings.Count == 0)
        {
            return result.Seo is { Count: > 0 }
                ? new Verdict(Health.Up, FailureReason.None, $"{result.Message} (all ignored by this check's rules)", Operational)
                : null;
        }

        var worst = findings.Max(f => f.Severity);
        var message = string.Join("; ", findings.Where(f => f.Severity == worst).Select(f => $"{f.Finding.Message} [{f.Finding.Rule}]"));
        return worst == SeoSeverity.Down
            ? new Verdict(Health.Down, FailureReason.Seo, message, "SEO problems found")
            : new Verdict(Health.Degraded, FailureReason.Seo, message, "Minor SEO problems found");
    }

    /// <summary>
    /// A failure in words for a public page: it says what kind of trouble, never where — no host,
    /// port, address or policy detail, whether or not the owner shows the target.
    /// </summary>
    public static string PublicSentence(IKindSettings settings, FailureReason reason)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var service = settings is TcpSettings { Service: not (TcpService.PortOpen or TcpService.Custom) } tcp
            ? $"{TcpServices.ShortName(tcp.Service)} server" : "The service";
        var dns = settings.Kind == ProbeKind.Dns;
        return reason switch
        {
            FailureReason.Refused => "Connection refused",
            FailureReason.Timeout => "No answer in time",
            FailureReason.Silent => $"{service} did not answer in time",
            FailureReason.UnexpectedResponse when dns => "The DNS answer is not the expected one",
            FailureReason.UnexpectedResponse => $"{service} gave an unexpected answer",
            FailureReason.Tls => "The TLS handshake failed",
            FailureReason.Dns when dns => "The DNS lookup failed",
            FailureReason.Dns => "The host name could not be resolved",
            FailureReason.Blocked => "The service could not be checked",
            FailureReason.Reset => "The connection was reset",
            FailureReason.Unreachable => "The host is unreachable",
            FailureReason.Status => "Unexpected HTTP status",
            FailureReason.Keyword => "The page content check failed",
            FailureReason.Seo => "SEO problems found",
            _ => "The check failed",
        };
    }
}

/// <summary>How DNS answers and expected values are compared and summarised.</summary>
public static class DnsValues
{
    /// <summary>
    /// The form values are compared in. Names (A/AAAA aside: canonical IPs) ignore case and a trailing
    /// dot; TXT contents and CAA values are data and keep their case (a verification token differs
    /// by case). Runs of spaces count as one.
    /// </summary>
    public static string Normalize(DnsRecordType type, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (type is DnsRecordType.A or DnsRecordType.AAAA && IPAddress.TryParse(trimmed, out var address))
        {
            return address.ToString();
        }

        if (type == DnsRecordType.TXT)
        {
            return trimmed;
        }

        var parts = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (type == DnsRecordType.CAA)
        {
            // flags tag "value": tags are case-insensitive (RFC 8659 §4.1), the value is compared as given.
            return parts.Length < 3 ? trimmed : $"{parts[0]} {parts[1].ToLowerInvariant()} {string.Join(' ', parts[2..])}";
        }

        return string.Join(' ', parts.Select(p => p.TrimEnd('.').ToLowerInvariant()));
    }

    public static string Summarize(IReadOnlyList<DnsAnswer> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return answers.Count == 0 ? "none" : string.Join(", ", answers.Take(10).Select(a => a.Value)) + (answers.Count > 10 ? $" and {answers.Count - 10} more" : "");
    }
}

/// <summary>Matching text against an owner's keyword or pattern, bounded so a hostile pattern cannot hold a worker.</summary>
public static class TextMatch
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(250);

    /// <summary>True when <paramref name="text"/> contains <paramref name="pattern"/> (ordinal), or matches it as a regular expression.</summary>
    public static bool Found(string text, string pattern, bool regex)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(pattern);
        if (!regex)
        {
            return text.Contains(pattern, StringComparison.Ordinal);
        }

        try
        {
            return Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, RegexBudget);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false; // an invalid pattern stored before the form refused it matches nothing
        }
    }

    /// <summary>Null when <paramref name="pattern"/> is a valid regular expression; otherwise why not.</summary>
    public static string? RegexProblem(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, RegexBudget);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }
}
