namespace Watchtower.Data.Entities;

/// <summary>How a channel reaches the team.</summary>
public enum ChannelKind
{
    Email,
    Webhook,
    Slack,
    Discord,

    /// <summary>A Microsoft Teams Workflows webhook (its URL is the secret): an Adaptive Card.</summary>
    Teams,

    /// <summary>A Telegram bot (token secret) and a chat id (in <see cref="NotificationChannel.Addresses"/>).</summary>
    Telegram,

    /// <summary>An ntfy server (<see cref="NotificationChannel.Url"/>), topic (<see cref="NotificationChannel.Addresses"/>), optional access token (secret).</summary>
    Ntfy,

    /// <summary>PagerDuty Events API v2: the integration's routing key (secret).</summary>
    PagerDuty,
}

/// <summary>
/// Where a team's alerts go: a list of email addresses, or a URL (a signed JSON webhook, a Slack or
/// Discord incoming webhook, a Teams workflow), a Telegram bot and chat, an ntfy topic, or a
/// PagerDuty routing key. Kinds are stored by name (at most 16 characters), so a new kind needs no
/// migration. Secrets (the webhook's signing secret, a chat hook's URL, which is its
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

    /// <summary>Email: the recipients, one per line. Telegram: the chat id ("-1001234567890" or "@channel"). ntfy: the topic.</summary>
    public string? Addresses { get; set; }

    /// <summary>Webhook: the URL posted to; ntfy: the server (not secrets; shown on the page). Chat hooks keep theirs in <see cref="ProtectedSecret"/>.</summary>
    public string? Url { get; set; }

    /// <summary>What the owner may see of a secret: a chat hook's host ("hooks.slack.com"), a Telegram bot's id ("bot 123456789").</summary>
    public string? UrlHint { get; set; }

    /// <summary>
    /// Data Protection ciphertext: the webhook's signing secret ("whsec_…"), a chat hook's URL, a
    /// Telegram bot token, an ntfy access token (null when none), a PagerDuty routing key.
    /// </summary>
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
