namespace Watchtower.Data.Entities;

/// <summary>How a subscriber is reached.</summary>
public enum SubscriberKind
{
    Email,
    Webhook,
}

/// <summary>A subscription waits for its confirmation (the link in the email, or the webhook's answer) before anything is sent.</summary>
public enum SubscriberState
{
    Pending,
    Confirmed,
}

/// <summary>
/// A reader of a status page who asked to be told of its incidents and maintenance: an email address
/// (double opt-in: a single-use link valid for <see cref="ConfirmationLifetime"/>, stored only as its
/// SHA-256 hash) or a webhook URL (signed per Standard Webhooks with its own secret). Notices go
/// through the alert outbox as one <see cref="AlertDelivery"/> per subscriber.
/// </summary>
public sealed class Subscriber
{
    public const int EmailMaxLength = 254;
    public const int UrlMaxLength = 2000;

    public static readonly TimeSpan ConfirmationLifetime = TimeSpan.FromHours(48);

    public int Id { get; set; }
    public int TeamId { get; set; }
    public int StatusPageId { get; set; }
    public StatusPage? StatusPage { get; set; }
    public SubscriberKind Kind { get; set; }

    /// <summary>Email subscribers: the address, lower-cased (one subscription per page and address).</summary>
    public string? Email { get; set; }

    /// <summary>Webhook subscribers: the URL notices are posted to.</summary>
    public string? Url { get; set; }

    /// <summary>Webhook subscribers: the "whsec_…" signing secret, Data Protection ciphertext.</summary>
    public string? ProtectedSecret { get; set; }

    public SubscriberState State { get; set; }

    /// <summary>SHA-256 (hex) of the confirmation token while one is outstanding; cleared when used.</summary>
    public string? ConfirmTokenHash { get; set; }

    public DateTimeOffset? ConfirmExpiresAt { get; set; }

    /// <summary>When the last confirmation was sent (a new request within minutes sends none).</summary>
    public DateTimeOffset? ConfirmSentAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>Every service of the page (and any added later); otherwise only <see cref="Components"/>.</summary>
    public bool AllComponents { get; set; } = true;

    public List<SubscriberComponent> Components { get; set; } = [];
}

/// <summary>A service (a check shown on the page) a subscriber chose to hear about.</summary>
public sealed class SubscriberComponent
{
    public int SubscriberId { get; set; }
    public int CheckId { get; set; }
}
