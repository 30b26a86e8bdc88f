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

        return JsonSerializer.Serialize(new { result.Http, result.Dns, result.Certificate, result.Seo }, Json);
    }
}
