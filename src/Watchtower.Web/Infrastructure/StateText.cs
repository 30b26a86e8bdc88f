using System.Globalization;
using Watchtower.Data.Entities;

namespace Watchtower.Web.Infrastructure;

/// <summary>Words people read for states and times.</summary>
public static class StateText
{
    public static string Of(CheckState state) => state switch
    {
        CheckState.Up => "Operational",
        CheckState.Degraded => "Degraded",
        CheckState.Down => "Down",
        CheckState.Paused => "Paused",
        _ => "Pending",
    };

    public static string Ago(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is null)
        {
            return "never";
        }

        var span = now - at.Value;
        if (span < TimeSpan.FromSeconds(5))
        {
            return "just now";
        }

        if (span < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds} s ago");
        }

        if (span < TimeSpan.FromHours(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min ago");
        }

        return span < TimeSpan.FromDays(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h ago")
            : at.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    }

    /// <summary>A failure reason by its name in the docs and the issue tracker: "silent", "unexpected-response".</summary>
    public static string Reason(Watchtower.Probes.FailureReason reason) =>
        string.Concat(reason.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>What a reason code means, in a few words: the same for every kind.</summary>
    public static string ReasonMeaning(Watchtower.Probes.FailureReason reason) => reason switch
    {
        Watchtower.Probes.FailureReason.Dns => "the name could not be resolved, or the DNS answer was an error",
        Watchtower.Probes.FailureReason.Blocked => "the address may not be checked from here",
        Watchtower.Probes.FailureReason.Refused => "the connection was refused",
        Watchtower.Probes.FailureReason.Timeout => "no answer within the timeout",
        Watchtower.Probes.FailureReason.Unreachable => "no route to the host",
        Watchtower.Probes.FailureReason.Reset => "the connection was reset",
        Watchtower.Probes.FailureReason.Tls => "the TLS handshake failed or the certificate is not valid",
        Watchtower.Probes.FailureReason.Silent => "connected, but the service said nothing in time",
        Watchtower.Probes.FailureReason.UnexpectedResponse => "the service answered, but not as expected",
        Watchtower.Probes.FailureReason.Status => "the HTTP status is not an expected one",
        Watchtower.Probes.FailureReason.Keyword => "the page content check failed",
        Watchtower.Probes.FailureReason.Seo => "SEO rules found problems",
        Watchtower.Probes.FailureReason.CertificateExpiring => "the certificate expires soon",
        Watchtower.Probes.FailureReason.Slow => "slower than the threshold",
        Watchtower.Probes.FailureReason.None => "no problem",
        _ => "the check itself failed",
    };

    /// <summary>"DNS 3 ms · connect 1 ms · TLS 12 ms · first byte 20 ms · total 25 ms": the phases that ran.</summary>
    public static string Timings(Watchtower.Probes.ProbeTimings timings)
    {
        ArgumentNullException.ThrowIfNull(timings);
        var parts = new List<string>(5);
        Add("DNS", timings.Dns);
        Add("connect", timings.Connect);
        Add("TLS", timings.Tls);
        Add("first byte", timings.FirstByte);
        Add("total", timings.Total);
        return string.Join(" · ", parts);

        void Add(string name, TimeSpan? span)
        {
            if (span is { } value)
            {
                parts.Add($"{name} {Latency((int)Math.Round(value.TotalMilliseconds))}");
            }
        }
    }

    public static string Latency(int? ms) => ms switch
    {
        null => "—",
        < 1 => "<1 ms", // a loopback or LAN answer: "0 ms" reads like no answer
        _ => string.Create(CultureInfo.InvariantCulture, $"{ms} ms"),
    };

    public static string Utc(DateTimeOffset? at) =>
        at is null ? "" : at.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// "3 Dec 2026, 14:05 UTC": the text of an absolute time before time.js rewrites it into the
    /// reader's zone, and the title of a relative one ("5 min ago") for readers without JavaScript.
    /// </summary>
    public static string UtcText(DateTimeOffset? at) =>
        at is null ? "" : at.Value.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// What a check is doing between states, for the owner: "Waiting for the first result",
    /// "Confirming (1 of 2 failures)" while failures are counted towards down, "Confirming
    /// recovery (1 of 2 successes)" while a down check is counting successes. Null when the state
    /// says it all (settled, or paused).
    /// </summary>
    public static string? Confirmation(Check check)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (check.State == CheckState.Paused)
        {
            return null;
        }

        if (check.State != CheckState.Down && check.ConsecutiveFailures > 0)
        {
            // An edited threshold can be below the count already reached; never say "3 of 2".
            var needed = Math.Max(check.FailureThreshold, check.ConsecutiveFailures);
            return string.Create(CultureInfo.InvariantCulture, $"Confirming ({check.ConsecutiveFailures} of {needed} {(needed == 1 ? "failure" : "failures")})");
        }

        if (check.State == CheckState.Down && check.ConsecutiveSuccesses > 0 && check.RecoveryThreshold > 1)
        {
            var needed = Math.Max(check.RecoveryThreshold, check.ConsecutiveSuccesses);
            return string.Create(CultureInfo.InvariantCulture, $"Confirming recovery ({check.ConsecutiveSuccesses} of {needed} successes)");
        }

        return check.State == CheckState.Pending && check.LastCheckedAt is null ? "Waiting for the first result" : null;
    }
}
