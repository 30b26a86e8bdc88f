namespace Watchtower.Data.Entities;

/// <summary>How a channel reaches the team.</summary>
public enum ChannelKind
{
    Email,
    Webhook,
    Slack,
    Discord,
}

/// <summary>
/// Where a team's alerts go: a list of email addresses, or a URL (a signed JSON webhook, a Slack or
/// Discord incoming webhook). Secrets (the webhook's signing secret, a chat hook's URL, which is its
/// own credential) are stored encrypted with ASP.NET Data Protection in <see cref="ProtectedSecret"/>
/// and never shown again after saving.
/// </summary>
public sealed class NotificationChannel
{
    public const int NameMaxLength = 100;
    public const int AddressesMaxLength = 2000;
    public const int UrlMaxLength = 2000;
    public const int ErrorMaxLength = 500;

    public int Id { get; set; }
    public int TeamId { get; set; }
    public required string Name { get; set; }
    public ChannelKind Kind { get; set; }

    /// <summary>Email: the recipients, one per line.</summary>
    public string? Addresses { get; set; }

    /// <summary>Webhook: the URL posted to (not a secret; shown on the page). Chat hooks keep theirs in <see cref="ProtectedSecret"/>.</summary>
    public string? Url { get; set; }

    /// <summary>What the owner may see of a chat hook's secret URL: its host ("hooks.slack.com").</summary>
    public string? UrlHint { get; set; }

    /// <summary>Data Protection ciphertext: the webhook's signing secret ("whsec_…"), or a chat hook's URL.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>Ticked for new checks: a new check alerts through every default channel.</summary>
    public bool IsDefault { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Deliveries that failed for good in a row (a refusal, not a passing outage); a success resets it.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>Set when <see cref="ConsecutiveFailures"/> reached the limit: the dashboard says the channel is failing.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>The last failure's answer, for the dashboard and the channel page.</summary>
    public string? LastError { get; set; }

    public List<CheckChannel> Checks { get; set; } = [];
}

/// <summary>A check alerts through a channel.</summary>
public sealed class CheckChannel
{
    public int CheckId { get; set; }
    public int ChannelId { get; set; }
    public NotificationChannel? Channel { get; set; }
}
