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
}
