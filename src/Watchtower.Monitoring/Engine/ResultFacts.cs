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
        if (result.Http is null && result.Dns is null && result.Certificate is null && result.Seo is null)
        {
            return null;
        }

        return JsonSerializer.Serialize(new Stored(result.Http, result.Dns, result.Certificate, result.Seo), Json);
    }

    /// <summary>The facts kept with a result, as stored.</summary>
    public sealed record Stored(
        Probes.Http.HttpFacts? Http,
        Probes.Dns.DnsFacts? Dns,
        Probes.Tls.CertificateFacts? Certificate,
        IReadOnlyList<Probes.Seo.SeoFinding>? Seo);

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
