using System.Text.Json;
using System.Text.Json.Serialization;
using Watchtower.Monitoring.State;
using Watchtower.Probes;

namespace Watchtower.Monitoring.Engine;

/// <summary>
/// The full facts of one run as JSON: the verdict's reason, phase timings, the address dialled, what
/// the service said, the certificate and TLS protocol, and the kind's own facts. Kept for the latest
/// run on the check and for the run behind each state change; raw results keep only the verdict.
/// </summary>
public static class ResultFacts
{
    /// <summary>What the service said is kept up to this many characters.</summary>
    public const int BannerMaxLength = 300;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string ToJson(ProbeResult result, FailureReason reason)
    {
        ArgumentNullException.ThrowIfNull(result);
        var timings = result.Timings;
        var stored = new Stored(result.Http, result.Dns, result.Certificate, result.Seo)
        {
            Reply = result.Reply,
            Reason = reason,
            Timings = new StoredTimings(Milliseconds(timings.Dns), Milliseconds(timings.Connect), Milliseconds(timings.Tls),
                Milliseconds(timings.FirstByte), Milliseconds(timings.Total) ?? 0),
            RemoteEndpoint = result.RemoteEndpoint,
            Banner = result.Banner is null ? null : CheckStateMachine.Truncate(result.Banner, BannerMaxLength),
            TlsProtocol = result.TlsProtocol,
        };
        return JsonSerializer.Serialize(stored, Json);
    }

    /// <summary>The facts of a run, as stored. Kind facts keep the names they had in the results' old FactsJson column.</summary>
    public sealed record Stored(
        Probes.Http.HttpFacts? Http,
        Probes.Dns.DnsFacts? Dns,
        Probes.Tls.CertificateFacts? Certificate,
        IReadOnlyList<Probes.Seo.SeoFinding>? Seo)
    {
        public Probes.Tcp.ReplyFacts? Reply { get; init; }
        public FailureReason Reason { get; init; }
        public StoredTimings? Timings { get; init; }
        public string? RemoteEndpoint { get; init; }
        public string? Banner { get; init; }
        public string? TlsProtocol { get; init; }
    }

    /// <summary>Phase timings in whole milliseconds; null for a phase that did not run.</summary>
    public sealed record StoredTimings(int? DnsMs, int? ConnectMs, int? TlsMs, int? FirstByteMs, int TotalMs);

    /// <summary>
    /// Stored facts read back as the run that measured them, so a check's page shows its latest run
    /// and its state changes the way "Test now" shows a test. Missing or unreadable facts give a
    /// run with only the message, reason and time.
    /// </summary>
    public static ProbeResult ToProbeResult(string? factsJson, string message, DateTimeOffset at, FailureReason reason)
    {
        ArgumentNullException.ThrowIfNull(message);
        var facts = Parse(factsJson);
        var timings = facts?.Timings;
        return new ProbeResult
        {
            // Shown, not judged again: the verdict's reason says what went wrong.
            Success = reason == FailureReason.None,
            Reason = reason,
            Message = message,
            StartedAt = at,
            Timings = timings is null ? new ProbeTimings() : new ProbeTimings
            {
                Dns = Span(timings.DnsMs),
                Connect = Span(timings.ConnectMs),
                Tls = Span(timings.TlsMs),
                FirstByte = Span(timings.FirstByteMs),
                Total = TimeSpan.FromMilliseconds(timings.TotalMs),
            },
            RemoteEndpoint = facts?.RemoteEndpoint,
            Banner = facts?.Banner,
            Certificate = facts?.Certificate,
            Http = facts?.Http,
            Dns = facts?.Dns,
            Seo = facts?.Seo,
            Reply = facts?.Reply,
            TlsProtocol = facts?.TlsProtocol,
        };

        static TimeSpan? Span(int? ms) => ms is { } value ? TimeSpan.FromMilliseconds(value) : null;
    }

    /// <summary>Reads stored facts back; null when there are none or they cannot be read (an older shape).</summary>
    public static Stored? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Stored>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static int? Milliseconds(TimeSpan? span) =>
        span is { } value ? (int)Math.Min(int.MaxValue, Math.Round(value.TotalMilliseconds)) : null;
}
