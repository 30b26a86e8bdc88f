using System.Text.Json;
using System.Text.Json.Serialization;
using Watchtower.Probes;

namespace Watchtower.Monitoring.Engine;

/// <summary>The kind-specific facts of a result, kept as JSON beside the common columns.</summary>
public static class ResultFacts
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string? ToJson(ProbeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Http is null && result.Dns is null && result.Certificate is null && result.Seo is null && result.Reply is null)
        {
            return null;
        }

        return JsonSerializer.Serialize(new Stored(result.Http, result.Dns, result.Certificate, result.Seo) { Reply = result.Reply }, Json);
    }

    /// <summary>The facts kept with a result, as stored.</summary>
    public sealed record Stored(
        Probes.Http.HttpFacts? Http,
        Probes.Dns.DnsFacts? Dns,
        Probes.Tls.CertificateFacts? Certificate,
        IReadOnlyList<Probes.Seo.SeoFinding>? Seo)
    {
        public Probes.Tcp.ReplyFacts? Reply { get; init; }
    }

    /// <summary>
    /// A stored result read back as the facts its run measured, so a check's page shows them the
    /// way "Test now" does. The certificate comes from the kept facts, else from its columns.
    /// </summary>
    public static ProbeResult ToProbeResult(Data.Entities.CheckResult row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var facts = Parse(row.FactsJson);
        var certificate = facts?.Certificate;
        if (certificate is null && row.CertificateSubject is not null)
        {
            certificate = new Probes.Tls.CertificateFacts
            {
                Subject = row.CertificateSubject,
                Issuer = row.CertificateIssuer ?? "",
                NotAfter = row.CertificateNotAfter ?? default,
                Valid = row.CertificateValid ?? false,
                Problem = row.CertificateProblem ?? "",
            };
        }

        return new ProbeResult
        {
            // Read back for display: the row keeps the verdict's reason, which the facts explain.
            Success = row.Status != Data.Entities.CheckState.Down,
            Reason = row.Reason,
            Message = row.Message,
            StartedAt = row.CheckedAt,
            Timings = TimingsOf(row),
            RemoteEndpoint = row.RemoteEndpoint,
            Banner = row.Banner,
            Certificate = certificate,
            Http = facts?.Http,
            Dns = facts?.Dns,
            Seo = facts?.Seo,
            Reply = facts?.Reply,
            TlsProtocol = row.TlsProtocol,
        };
    }

    /// <summary>The phase timings kept in a result's columns.</summary>
    public static ProbeTimings TimingsOf(Data.Entities.CheckResult row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new ProbeTimings
        {
            Dns = Span(row.DnsMs),
            Connect = Span(row.ConnectMs),
            Tls = Span(row.TlsMs),
            FirstByte = Span(row.FirstByteMs),
            Total = TimeSpan.FromMilliseconds(row.DurationMs),
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
}
