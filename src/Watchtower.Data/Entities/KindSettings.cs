using System.Text.Json;
using System.Text.Json.Serialization;
using Watchtower.Probes.Dns;
using Watchtower.Probes.Seo;
using Watchtower.Probes.Ssl;

namespace Watchtower.Data.Entities;

/// <summary>
/// The settings of the HTTP, DNS and SSL kinds, stored as one JSON document per check
/// (<see cref="Check.SettingsJson"/>): each kind has many fields that the others never use.
/// </summary>
public sealed record KindSettings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public HttpSettings? Http { get; init; }
    public DnsSettings? Dns { get; init; }
    public SslSettings? Ssl { get; init; }
    public SeoSettings? Seo { get; init; }

    public static KindSettings Parse(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new KindSettings() : JsonSerializer.Deserialize<KindSettings>(json, Json) ?? new KindSettings();

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public sealed record HttpSettings
{
    public string Url { get; init; } = "";
    public string Method { get; init; } = "GET";
    public string? Body { get; init; }
    public string? ContentType { get; init; }
    /// <summary>"Name: value" per line.</summary>
    public string? Headers { get; init; }
    public string ExpectedStatus { get; init; } = "200-399";
    public string? MustContain { get; init; }
    public string? MustNotContain { get; init; }
    public bool KeywordsAreRegex { get; init; }
    public bool FollowRedirects { get; init; } = true;
    public int MaxRedirects { get; init; } = 5;
    public bool VerifyTls { get; init; } = true;
}

public sealed record DnsSettings
{
    public DnsRecordType RecordType { get; init; } = DnsRecordType.A;
    public string? Resolver { get; init; }
    public DnsExpectation Expectation { get; init; }
    /// <summary>Expected values, one per line.</summary>
    public string? Values { get; init; }
}

public sealed record SslSettings
{
    public string? ServerName { get; init; }
    public StartTlsProtocol StartTls { get; init; }
    /// <summary>A certificate expiring within this many days makes the check down.</summary>
    public int CriticalDays { get; init; } = 3;
}

public sealed record SeoSettings
{
    /// <summary>Per rule: down, degraded or ignore. Rules not listed use their default.</summary>
    public Dictionary<string, SeoSeverity> Severities { get; init; } = [];

    public SeoSeverity SeverityOf(string rule) => Severities.TryGetValue(rule, out var severity) ? severity : SeoRules.DefaultFor(rule);
}
