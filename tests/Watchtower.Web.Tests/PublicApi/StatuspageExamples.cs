using System.Text.Json;

namespace Watchtower.Web.Tests.PublicApi;

/// <summary>
/// Responses in the shape of Atlassian Statuspage's published API v2 examples (the example responses
/// of https://metastatuspage.com/api/v2 and live pages such as githubstatus.com): every documented
/// field, with a value of its JSON type, or null where Statuspage documents (and sends) null. Values
/// are made up. <see cref="AssertSameShape"/> holds Watchtower's answers to them.
/// </summary>
internal static class StatuspageExamples
{
    private const string Page = """
        { "id": "y2j98763l56x", "name": "Example", "url": "https://status.example.com", "time_zone": "Etc/UTC", "updated_at": "2024-05-14T14:35:21.711-06:00" }
        """;

    private const string Component = """
        {
          "id": "b13yz5g2cw10", "name": "API", "status": "partial_outage",
          "created_at": "2014-05-03T01:22:07.274Z", "updated_at": "2014-05-14T20:34:43.340Z",
          "position": 1, "description": null, "showcase": false, "start_date": "2014-05-03",
          "group_id": null, "page_id": "y2j98763l56x", "group": false, "only_show_if_degraded": false
        }
        """;

    private const string Update = """
        {
          "id": "jdy3tw5mt5r5", "status": "identified", "body": "We found the cause and are rolling out a fix.",
          "incident_id": "cp306tmzcl0y", "created_at": "2014-05-14T14:22:40.301-06:00", "updated_at": "2014-05-14T14:22:40.301-06:00",
          "display_at": "2014-05-14T14:22:40.301-06:00", "affected_components": null, "deliver_notifications": true,
          "custom_tweet": null, "tweet_id": null
        }
        """;

    private const string IncidentFields = """
          "id": "cp306tmzcl0y", "name": "Unplanned database outage", "status": "identified",
          "created_at": "2014-05-14T14:22:39.441-06:00", "updated_at": "2014-05-14T14:35:21.711-06:00",
          "monitoring_at": null, "resolved_at": null, "impact": "critical", "shortlink": "https://stspg.io/Q0E",
          "started_at": "2014-05-14T14:22:39.441-06:00", "page_id": "y2j98763l56x",
        """;

    private static readonly string Incident = "{" + IncidentFields + $"\"incident_updates\": [{Update}], \"components\": [{Component}] }}";

    private static readonly string Maintenance = "{" + IncidentFields
        + $"\"incident_updates\": [{Update}], \"components\": [{Component}], \"scheduled_for\": \"2014-05-17T22:00:00.000-06:00\", \"scheduled_until\": \"2014-05-17T23:30:00.000-06:00\" }}";

    private const string Status = """{ "indicator": "major", "description": "Partial System Outage" }""";

    /// <summary>Each endpoint's example, by its path under /api/v2/.</summary>
    public static IReadOnlyDictionary<string, string> ByPath { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["summary.json"] = $"{{ \"page\": {Page}, \"components\": [{Component}], \"incidents\": [{Incident}], \"scheduled_maintenances\": [{Maintenance}], \"status\": {Status} }}",
        ["status.json"] = $"{{ \"page\": {Page}, \"status\": {Status} }}",
        ["components.json"] = $"{{ \"page\": {Page}, \"components\": [{Component}] }}",
        ["incidents.json"] = $"{{ \"page\": {Page}, \"incidents\": [{Incident}] }}",
        ["incidents/unresolved.json"] = $"{{ \"page\": {Page}, \"incidents\": [{Incident}] }}",
        ["scheduled-maintenances.json"] = $"{{ \"page\": {Page}, \"scheduled_maintenances\": [{Maintenance}] }}",
        ["scheduled-maintenances/upcoming.json"] = $"{{ \"page\": {Page}, \"scheduled_maintenances\": [{Maintenance}] }}",
        ["scheduled-maintenances/active.json"] = $"{{ \"page\": {Page}, \"scheduled_maintenances\": [{Maintenance}] }}",
    };

    /// <summary>Statuspage's enumerations, by field name.</summary>
    public static IReadOnlyDictionary<string, string[]> Enumerations { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["indicator"] = ["none", "minor", "major", "critical", "maintenance"],
        ["impact"] = ["none", "minor", "major", "critical", "maintenance"],
    };

    public static readonly string[] ComponentStatuses = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"];
    public static readonly string[] IncidentStatuses = ["investigating", "identified", "monitoring", "resolved", "postmortem"];
    public static readonly string[] MaintenanceStatuses = ["scheduled", "in_progress", "verifying", "completed"];

    /// <summary>
    /// Every field of <paramref name="example"/> is in <paramref name="actual"/> with the same JSON type
    /// (a field the example has as null may be null or anything), no field is there that the example
    /// lacks, and arrays hold elements of the example's element shape. Problems are collected by path.
    /// </summary>
    public static void AssertSameShape(JsonElement example, JsonElement actual, string path, List<string> problems)
    {
        if (example.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (Kind(example) != Kind(actual))
        {
            problems.Add($"{path}: {Kind(actual)}, Statuspage sends {Kind(example)}");
            return;
        }

        switch (example.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var field in example.EnumerateObject())
                {
                    if (!actual.TryGetProperty(field.Name, out var value))
                    {
                        problems.Add($"{path}.{field.Name}: missing");
                        continue;
                    }

                    AssertSameShape(field.Value, value, $"{path}.{field.Name}", problems);
                }

                foreach (var field in actual.EnumerateObject().Where(f => !example.TryGetProperty(f.Name, out _)))
                {
                    problems.Add($"{path}.{field.Name}: not a Statuspage field");
                }

                break;
            case JsonValueKind.Array when example.GetArrayLength() > 0:
                var index = 0;
                foreach (var element in actual.EnumerateArray())
                {
                    AssertSameShape(example[0], element, $"{path}[{index++}]", problems);
                }

                break;
            case JsonValueKind.String when example.GetString() is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _) && text.Contains('T', StringComparison.Ordinal):
                if (!DateTimeOffset.TryParseExact(actual.GetString(), "yyyy-MM-ddTHH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
                {
                    problems.Add($"{path}: '{actual.GetString()}' is not an ISO 8601 time with its offset");
                }

                break;
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString().ToLowerInvariant(),
    };
}
