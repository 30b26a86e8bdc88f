using System.Globalization;
using Watchtower.Data.Entities;
using Watchtower.Probes;
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

        if (result.Certificate is { } certificate)
        {
            if (!certificate.Valid)
            {
                return new Verdict(CheckState.Degraded, $"{result.Message} But the TLS certificate is not valid: {certificate.Problem}.",
                    "Up, but its TLS certificate is not valid");
            }

            var daysLeft = certificate.DaysLeft(now);
            if (daysLeft < check.CertificateWarningDays)
            {
                var when = certificate.NotAfter.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return new Verdict(CheckState.Degraded, $"{result.Message} The TLS certificate expires in {Days(daysLeft)} ({when}).",
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

    /// <summary>The response time a check is judged and shown by: the first byte for a conversation, else the connect.</summary>
    public static int? Latency(ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var span = result.Timings.FirstByte ?? result.Timings.Connect;
        return span is { } value ? (int)Math.Round(value.TotalMilliseconds) : null;
    }

    private static string Days(int days) => days switch
    {
        <= 0 => "less than a day",
        1 => "1 day",
        _ => $"{days} days",
    };

    private static string PublicSentence(Check check, ProbeResult result)
    {
        var service = check.Service is TcpService.PortOpen or TcpService.Custom ? "The service" : $"{TcpServices.ShortName(check.Service)} server";
        return result.Reason switch
        {
            FailureReason.Refused => $"Connection refused on port {check.Port}",
            FailureReason.Timeout => $"No answer on port {check.Port} in time",
            FailureReason.Silent => $"{service} did not answer in time",
            FailureReason.UnexpectedResponse => $"{service} gave an unexpected answer",
            FailureReason.Tls => "The TLS handshake failed",
            FailureReason.Dns => "The host name could not be resolved",
            FailureReason.Blocked => "This address may not be checked from here",
            FailureReason.Reset => "The connection was reset",
            FailureReason.Unreachable => "The host is unreachable",
            _ => "The check failed",
        };
    }
}
