namespace Watchtower.Data.Entities;

/// <summary>What an alert tells.</summary>
public enum AlertEventType
{
    /// <summary>A check's failure is confirmed: it is down.</summary>
    CheckDown,

    /// <summary>A down check is up (or degraded) again.</summary>
    CheckRecovered,

    /// <summary>A reminder: the check is still down.</summary>
    CheckStillDown,

    /// <summary>A certificate the check watches expires soon.</summary>
    CertificateExpiring,

    /// <summary>A check changed state too often: one summary instead of every change.</summary>
    CheckFlapping,

    /// <summary>The owner pressed "Send test".</summary>
    Test,

    /// <summary>An incident was opened on a status page (by its owner, or by a check's confirmed down).</summary>
    IncidentOpened,

    /// <summary>An incident got an update (a new status and what the owner wrote).</summary>
    IncidentUpdated,

    IncidentResolved,

    /// <summary>A maintenance window was planned.</summary>
    MaintenanceScheduled,

    MaintenanceStarted,
    MaintenanceEnded,
}

/// <summary>
/// The outbox: one row per event, written in the same transaction as the state change that causes it
/// (or, for reminders and flapping summaries, by the alert dispatcher). Its <see cref="Key"/> is
/// deterministic and unique, so the same change recorded twice adds one event.
/// </summary>
public sealed class AlertEvent
{
    public const int KeyMaxLength = 120;
    public const int TextMaxLength = 500;

    /// <summary>Events and their deliveries are deleted after this (the delivery log's horizon).</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(30);

    public long Id { get; set; }
    public int TeamId { get; set; }

    /// <summary>The check it is about; null for a test message.</summary>
    public int? CheckId { get; set; }

    public AlertEventType Type { get; set; }
    public required string Key { get; set; }

    /// <summary>When it happened (the state change's time).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>The check's name when it happened (a renamed or deleted check keeps its history readable).</summary>
    public required string CheckName { get; set; }

    public CheckState? State { get; set; }
    public CheckState? PreviousState { get; set; }

    /// <summary>Why, in the owner's words ("Connection refused by 203.0.113.7:25").</summary>
    public required string Message { get; set; }

    /// <summary>
    /// Not sent on its own: the check changes state too often (flapping control) or recovered before
    /// the alert delay. A suppressed down/up is told in the flapping summary.
    /// </summary>
    public bool Suppressed { get; set; }

    /// <summary>Incident and maintenance notices: the status page they are on.</summary>
    public int? StatusPageId { get; set; }

    public int? IncidentId { get; set; }

    public Incident? Incident { get; set; }

    /// <summary>
    /// Incident notices: the timeline entry told (opened, each update, resolved). Unique: one entry is
    /// one event however often it is recorded, which is what makes these events idempotent (their
    /// <see cref="Key"/> is written as "incident:{id}:update:{updateId}" when both ids are known).
    /// </summary>
    public long? IncidentUpdateId { get; set; }

    public IncidentUpdate? IncidentUpdate { get; set; }

    /// <summary>Maintenance notices: the window (unique with <see cref="Type"/>: scheduled, started and ended once each).</summary>
    public int? MaintenanceId { get; set; }

    public Maintenance? Maintenance { get; set; }

    public bool IsNotice => Type is >= AlertEventType.IncidentOpened;

    /// <summary>For a suppressed event: the summary that told it (null while none has).</summary>
    public long? SummaryId { get; set; }

    public List<AlertDelivery> Deliveries { get; set; } = [];
}

public enum DeliveryStatus
{
    /// <summary>Waiting for its time (first attempt, a retry, or the alert delay).</summary>
    Pending,
    Sent,

    /// <summary>Refused for good, or out of retries.</summary>
    Failed,

    /// <summary>Not sent: no longer true when its time came (recovered within the alert delay).</summary>
    Cancelled,
}

/// <summary>
/// One event to one channel (or one status page subscriber): the unit that is claimed, sent, retried and logged. Unique per
/// (event, channel): a batch recorded twice, a retried job or two dispatchers never make a second.
/// </summary>
public sealed class AlertDelivery
{
    public const int ResultMaxLength = 500;

    public long Id { get; set; }
    public long EventId { get; set; }
    public AlertEvent? Event { get; set; }
    /// <summary>The owner's channel; null for a delivery to a status page subscriber.</summary>
    public int? ChannelId { get; set; }

    public NotificationChannel? Channel { get; set; }

    /// <summary>A status page subscriber (incident and maintenance notices); null for an owner channel.</summary>
    public int? SubscriberId { get; set; }

    public Subscriber? Subscriber { get; set; }

    /// <summary>The event's check (a copy, so the log filters by check and a lost batch's rows are recognised).</summary>
    public int? CheckId { get; set; }

    public DeliveryStatus Status { get; set; }

    /// <summary>When to try next; while leased, the lease's expiry (a lease that ends unfinished makes it due again).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The dispatcher's claim: only the job holding it sends, and only it may record the outcome.</summary>
    public Guid? LeaseId { get; set; }

    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>"HTTP 200", "SMTP 250", "SMTP 550", "timeout", "refused".</summary>
    public string? ResultCode { get; set; }

    /// <summary>What the receiver answered, or why it could not be reached.</summary>
    public string? ResultMessage { get; set; }
}
