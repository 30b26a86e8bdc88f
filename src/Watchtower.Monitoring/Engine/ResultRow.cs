using Watchtower.Data.Entities;
using Watchtower.Monitoring.State;
using Watchtower.Probes;
using Watchtower.Probes.Evaluation;

namespace Watchtower.Monitoring.Engine;

/// <summary>A run as a stored result row: the verdict, the common facts in columns, the kind's facts as JSON.</summary>
public static class ResultRow
{
    public static CheckResult From(int checkId, DateTimeOffset at, Verdict verdict, string message, int? latency, ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(result);
        var certificate = result.Certificate;
        return new CheckResult
        {
            CheckId = checkId,
            CheckedAt = at,
            Status = CheckStateMachine.StateOf(verdict.Status),
            Reason = verdict.Reason,
            Message = message,
            LatencyMs = latency,
            DnsMs = Milliseconds(result.Timings.Dns),
            ConnectMs = Milliseconds(result.Timings.Connect),
            TlsMs = Milliseconds(result.Timings.Tls),
            FirstByteMs = Milliseconds(result.Timings.FirstByte),
            CertificateSubject = Cap(certificate?.Subject, CheckResult.BannerMaxLength),
            CertificateIssuer = Cap(certificate?.Issuer, CheckResult.BannerMaxLength),
            CertificateNotAfter = certificate?.NotAfter,
            CertificateValid = certificate?.Valid,
            CertificateProblem = Cap(certificate is { Valid: false } ? certificate.Problem : null, Check.MessageMaxLength),
            TlsProtocol = Cap(result.TlsProtocol, 16),
            FactsJson = ResultFacts.ToJson(result),
            DurationMs = Milliseconds(result.Timings.Total) ?? 0,
            RemoteEndpoint = Cap(result.RemoteEndpoint, CheckResult.EndpointMaxLength),
            Banner = Cap(result.Banner, CheckResult.BannerMaxLength),
        };
    }

    private static int? Milliseconds(TimeSpan? span) =>
        span is { } value ? (int)Math.Min(int.MaxValue, Math.Round(value.TotalMilliseconds)) : null;

    private static string? Cap(string? text, int max) => text is null ? null : CheckStateMachine.Truncate(text, max);
}
